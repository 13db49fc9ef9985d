package dev.myelin.bench;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedFrame;
import jdk.jfr.consumer.RecordedStackTrace;
import jdk.jfr.consumer.RecordingFile;

/**
 * Reads a JFR recording of the server and ranks methods by {@code jdk.ExecutionSample}: by the
 * top frame (where the CPU was) and by the first {@code dev.myelin} frame on the stack (which of
 * our methods led there), the two views {@code jfr view hot-methods} and a manual look at the
 * stacks would give.
 */
final class Profile {

    /** A method and its share of the samples. */
    record Hot(String method, long samples, double percent) {}

    /** The samples in total and the two rankings. */
    record Summary(long samples, List<Hot> topFrames, List<Hot> topMyelinFrames, List<Hot> topPackages) {}

    private Profile() {}

    static Summary summarise(Path recording, int limit) throws Exception {
        Map<String, Long> top = new HashMap<>();
        Map<String, Long> myelin = new HashMap<>();
        Map<String, Long> packages = new HashMap<>();
        long total = 0;
        for (RecordedEvent event : RecordingFile.readAllEvents(recording)) {
            if (!event.getEventType().getName().equals("jdk.ExecutionSample")) {
                continue;
            }
            RecordedStackTrace stack = event.getStackTrace();
            if (stack == null || stack.getFrames().isEmpty()) {
                continue;
            }
            total++;
            List<RecordedFrame> frames = stack.getFrames();
            top.merge(name(frames.getFirst()), 1L, Long::sum);
            packages.merge(packageOf(frames.getFirst()), 1L, Long::sum);
            for (RecordedFrame frame : frames) {
                if (frame.getMethod().getType().getName().startsWith("dev.myelin.")) {
                    myelin.merge(name(frame), 1L, Long::sum);
                    break;
                }
            }
        }
        return new Summary(total, rank(top, total, limit), rank(myelin, total, limit), rank(packages, total, limit));
    }

    private static String name(RecordedFrame frame) {
        return frame.getMethod().getType().getName() + "." + frame.getMethod().getName();
    }

    private static String packageOf(RecordedFrame frame) {
        String type = frame.getMethod().getType().getName();
        int dot = type.lastIndexOf('.');
        return dot < 0 ? type : type.substring(0, dot);
    }

    private static List<Hot> rank(Map<String, Long> counts, long total, int limit) {
        List<Hot> hot = new ArrayList<>();
        counts.entrySet().stream()
                .sorted(Map.Entry.<String, Long>comparingByValue().reversed())
                .limit(limit)
                .forEach(e -> hot.add(new Hot(e.getKey(), e.getValue(), 100.0 * e.getValue() / Math.max(1, total))));
        return hot;
    }
}
