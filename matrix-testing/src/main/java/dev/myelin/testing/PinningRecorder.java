package dev.myelin.testing;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedFrame;
import jdk.jfr.consumer.RecordedStackTrace;
import jdk.jfr.consumer.RecordedThread;
import jdk.jfr.consumer.RecordingStream;

/**
 * Records virtual-thread pinning in this JVM with an in-process JFR stream: every
 * {@code jdk.VirtualThreadPinned} event (a virtual thread blocked while pinned to its carrier
 * thread) from {@link #start(Duration)} until {@link #stop()}. {@link FailOnPinning} uses it
 * around each test; use it directly to check a block of code:
 *
 * <pre>{@code
 * PinningRecorder recorder = PinningRecorder.start(Duration.ofMillis(20));
 * runTheWorkload();
 * assertThat(recorder.stop()).isEmpty();
 * }</pre>
 */
public final class PinningRecorder {
    private static final String EVENT = "jdk.VirtualThreadPinned";
    private static final int FRAMES = 12;

    private final RecordingStream stream;
    private final List<Pin> pins = new CopyOnWriteArrayList<>();
    private boolean stopped;

    /**
     * One pinned block: the virtual thread, how long it was blocked, why it was pinned (on JDKs
     * that say), and its innermost stack frames.
     */
    public record Pin(String thread, Duration duration, String reason, List<String> stack) {
        /** Requires every part and copies the stack. */
        public Pin {
            Objects.requireNonNull(thread, "thread");
            Objects.requireNonNull(duration, "duration");
            Objects.requireNonNull(reason, "reason");
            stack = List.copyOf(stack);
        }

        @Override
        public String toString() {
            return "virtual thread \"" + thread + "\" pinned for " + duration.toMillis() + " ms"
                    + (reason.isEmpty() ? "" : " (" + reason + ")")
                    + stack.stream().map(frame -> "\n        at " + frame).reduce("", String::concat);
        }
    }

    private PinningRecorder(Duration threshold) {
        stream = new RecordingStream();
        stream.enable(EVENT).withThreshold(threshold).withStackTrace();
        stream.onEvent(EVENT, event -> pins.add(pin(event)));
        stream.startAsync();
    }

    /** Starts recording pinned blocks of at least {@code threshold}. */
    public static PinningRecorder start(Duration threshold) {
        return new PinningRecorder(Objects.requireNonNull(threshold, "threshold"));
    }

    /** Stops recording, once every event recorded so far has been read, and returns the pins. */
    public List<Pin> stop() {
        if (!stopped) {
            stopped = true;
            try {
                stream.stop();
            } finally {
                stream.close();
            }
        }
        return List.copyOf(pins);
    }

    private static Pin pin(RecordedEvent event) {
        RecordedThread thread = event.getThread();
        String name = thread == null
                ? "?"
                : thread.getJavaName() == null || thread.getJavaName().isEmpty()
                        ? "#" + thread.getJavaThreadId()
                        : thread.getJavaName();
        String reason = event.hasField("pinnedReason") ? Objects.toString(event.getString("pinnedReason"), "") : "";
        List<String> frames = new ArrayList<>();
        RecordedStackTrace trace = event.getStackTrace();
        if (trace != null) {
            boolean inJdkPark = true;
            for (RecordedFrame frame : trace.getFrames()) {
                String type = frame.getMethod().getType().getName();
                // the frames that post the event and park are the same every time: start below them
                inJdkPark &= type.equals("java.lang.VirtualThread")
                        || type.equals("java.lang.Thread")
                        || type.startsWith("java.util.concurrent.locks.LockSupport");
                if (inJdkPark) {
                    continue;
                }
                if (frames.size() == FRAMES) {
                    frames.add("...");
                    break;
                }
                frames.add(type + "." + frame.getMethod().getName()
                        + (frame.getLineNumber() > 0 ? ":" + frame.getLineNumber() : ""));
            }
        }
        return new Pin(name, event.getDuration(), reason, frames);
    }
}
