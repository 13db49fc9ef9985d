package dev.myelin.core.time;

import java.time.Duration;
import java.time.Instant;

/**
 * The one source of time for Myelin code.
 *
 * <p>Nothing outside an implementation of this interface reads the system clock or sleeps the
 * thread directly, so that tests can drive time deterministically with a fake clock (see
 * {@link ManualClock}, known to users of the test kit as {@code dev.myelin.testing.FakeClock}).
 */
public interface Clock {

    /** Wall-clock time, for timestamps that leave the process (e.g. {@code origin_server_ts}). */
    Instant now();

    /** Wall-clock time in milliseconds since the Unix epoch, as Matrix timestamps are written. */
    default long nowMillis() {
        return now().toEpochMilli();
    }

    /**
     * Monotonic time in nanoseconds from an arbitrary origin, for measuring intervals and
     * deadlines. Never goes backwards.
     */
    long monotonicNanos();

    /**
     * Blocks the calling (virtual) thread for {@code duration}.
     *
     * @throws InterruptedException if the thread is interrupted while waiting
     */
    void sleep(Duration duration) throws InterruptedException;

    /**
     * Blocks the calling (virtual) thread until {@link #monotonicNanos()} reaches {@code
     * deadlineNanos}; returns at once if it already has.
     *
     * <p>Prefer this over {@link #sleep(Duration)} for periodic work: the deadline is fixed before
     * the call, so time that passes between computing it and starting to wait is not lost. A fake
     * clock overrides this to register the exact deadline atomically.
     *
     * @throws InterruptedException if the thread is interrupted while waiting
     */
    default void sleepUntil(long deadlineNanos) throws InterruptedException {
        long remaining = deadlineNanos - monotonicNanos();
        if (remaining > 0) {
            sleep(Duration.ofNanos(remaining));
        } else if (Thread.interrupted()) {
            throw new InterruptedException();
        }
    }
}
