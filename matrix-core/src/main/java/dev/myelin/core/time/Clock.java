package dev.myelin.core.time;

import java.time.Duration;
import java.time.Instant;

/**
 * The one source of time for Myelin code.
 *
 * <p>Nothing outside an implementation of this interface reads the system clock or sleeps the
 * thread directly, so that tests can drive time deterministically with a fake clock (see
 * {@code dev.myelin.testing.FakeClock}).
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
}
