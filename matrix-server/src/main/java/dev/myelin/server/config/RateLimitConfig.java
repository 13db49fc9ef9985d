package dev.myelin.server.config;

/**
 * A token bucket as Synapse's {@code rc_*} settings describe it.
 *
 * @param perSecond tokens added per second
 * @param burstCount bucket size: how many actions may happen at once
 */
public record RateLimitConfig(double perSecond, long burstCount) {
    /** A limit that never triggers in practice, for tests and trusted deployments. */
    public static final RateLimitConfig UNLIMITED = new RateLimitConfig(1_000_000, 1_000_000);
}
