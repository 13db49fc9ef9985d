package dev.myelin.http.ratelimit;

/**
 * A token-bucket limit, with the meaning of the {@code rc_*} settings Matrix server admins know:
 * a bucket holds at most {@code burstCount} requests and refills at {@code perSecond} requests a
 * second.
 *
 * @param perSecond sustained rate, requests per second; may be fractional (0.17 is one every ~6 s)
 * @param burstCount how many requests may be made at once after a quiet period; at least 1
 */
public record RateLimit(double perSecond, int burstCount) {

    /** Checks that the rate is positive and finite and the burst at least 1. */
    public RateLimit {
        if (!(perSecond > 0) || Double.isInfinite(perSecond)) {
            throw new IllegalArgumentException("per_second must be positive and finite: " + perSecond);
        }
        if (burstCount < 1) {
            throw new IllegalArgumentException("burst_count must be at least 1: " + burstCount);
        }
    }

    /** Nanoseconds for one token to refill. */
    long intervalNanos() {
        return Math.max(1L, Math.round(1_000_000_000d / perSecond));
    }
}
