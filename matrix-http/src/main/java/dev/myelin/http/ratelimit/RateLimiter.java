package dev.myelin.http.ratelimit;

import dev.myelin.core.time.Clock;
import dev.myelin.http.error.MatrixException;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Token buckets per (action, key), driven by a {@link Clock} so tests control time exactly.
 *
 * <p>Each bucket is kept as the time at which it would be full again (a "theoretical arrival
 * time"), in whole nanoseconds of {@link Clock#monotonicNanos()}: a request is allowed while that
 * time is at most {@code (burstCount - 1)} refill intervals in the future, and pushes it one
 * interval further. Integer arithmetic keeps the boundaries exact: with one request a second and
 * a burst of 3, the fourth immediate request waits exactly 1000 ms.
 *
 * <p>Buckets that have refilled completely carry no information and are pruned once the table
 * grows, so memory stays proportional to recently active keys.
 *
 * @see <a href="https://spec.matrix.org/v1.19/client-server-api/#rate-limiting">Rate limiting</a>
 */
public final class RateLimiter {

    private static final int PRUNE_THRESHOLD = 10_000;

    private final Clock clock;
    private final ConcurrentHashMap<BucketKey, Long> fullAt = new ConcurrentHashMap<>();

    /**
     * Creates a limiter whose buckets refill by {@code clock}.
     *
     * @param clock the time source
     */
    public RateLimiter(Clock clock) {
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /**
     * Counts one request against the bucket for {@code (action, key)}.
     *
     * @return 0 if the request is allowed, otherwise how many nanoseconds until it would be (the
     *     request is then not counted)
     */
    public long tryAcquire(String action, String key, RateLimit limit) {
        long now = clock.monotonicNanos();
        long interval = limit.intervalNanos();
        long tolerance = interval * (limit.burstCount() - 1L);
        long[] wait = {0};
        fullAt.compute(new BucketKey(action, key), (k, tat) -> {
            long base = tat == null || tat - now < 0 ? now : tat;
            long ahead = base - now;
            if (ahead > tolerance) {
                wait[0] = ahead - tolerance;
                return tat;
            }
            return base + interval;
        });
        if (fullAt.size() > PRUNE_THRESHOLD) {
            fullAt.entrySet().removeIf(e -> e.getValue() - now <= 0);
        }
        return wait[0];
    }

    /**
     * As {@link #tryAcquire}, but throws 429 {@code M_LIMIT_EXCEEDED} with {@code retry_after_ms}
     * (rounded up) when the request is not allowed.
     */
    public void check(String action, String key, RateLimit limit) {
        long waitNanos = tryAcquire(action, key, limit);
        if (waitNanos > 0) {
            throw MatrixException.limitExceeded((waitNanos + 999_999) / 1_000_000);
        }
    }

    /**
     * Gives back one request counted by an earlier successful {@link #tryAcquire} or {@link #check}
     * of the same bucket, as if it had never been made. This lets a caller count a request before
     * doing work whose outcome decides whether it should count (a password check counts only when
     * the password is wrong) without a window in which concurrent requests all pass unchecked.
     */
    public void refund(String action, String key, RateLimit limit) {
        long now = clock.monotonicNanos();
        long interval = limit.intervalNanos();
        fullAt.computeIfPresent(new BucketKey(action, key), (k, tat) -> {
            long refunded = tat - interval;
            // a bucket that would be full by now carries no information
            return refunded - now <= 0 ? null : refunded;
        });
    }

    private record BucketKey(String action, String key) {}
}
