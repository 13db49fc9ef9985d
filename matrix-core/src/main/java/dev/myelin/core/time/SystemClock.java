package dev.myelin.core.time;

import java.time.Duration;
import java.time.Instant;

/**
 * The real {@link Clock}: wall time from the operating system, monotonic time from {@link
 * System#nanoTime()}, and sleeps that block the calling thread.
 *
 * <p>This is the only production class allowed to read the system clock or sleep the thread; all
 * other code receives a {@code Clock} so that tests can substitute a fake one. It holds no state,
 * so the single {@link #INSTANCE} is shared.
 */
public final class SystemClock implements Clock {

    /** The shared instance. */
    public static final SystemClock INSTANCE = new SystemClock();

    private SystemClock() {}

    @Override
    public Instant now() {
        return Instant.now();
    }

    @Override
    public long nowMillis() {
        return System.currentTimeMillis();
    }

    @Override
    public long monotonicNanos() {
        return System.nanoTime();
    }

    @Override
    public void sleep(Duration duration) throws InterruptedException {
        if (duration.isNegative() || duration.isZero()) {
            if (Thread.interrupted()) {
                throw new InterruptedException();
            }
            return;
        }
        Thread.sleep(duration);
    }

    @Override
    public String toString() {
        return "SystemClock";
    }
}
