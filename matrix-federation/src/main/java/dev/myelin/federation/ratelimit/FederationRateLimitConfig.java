package dev.myelin.federation.ratelimit;

import java.time.Duration;
import java.util.Objects;

/**
 * Synapse's {@code rc_federation}: how hard one server may press on this one.
 *
 * @param window how far back requests are counted ({@code window_size}, default 1 s)
 * @param sleepLimit requests within the window beyond which each new one is delayed
 *     ({@code sleep_limit}, default 10)
 * @param sleepDelay how long such a request is delayed ({@code sleep_delay}, default 500 ms)
 * @param rejectLimit requests waiting (delayed or queued) beyond which new ones are refused with
 *     429 ({@code reject_limit}, default 50)
 * @param concurrent requests of one server processed at once ({@code concurrent}, default 3)
 */
public record FederationRateLimitConfig(
        Duration window, int sleepLimit, Duration sleepDelay, int rejectLimit, int concurrent) {

    /** Synapse's defaults. */
    public static final FederationRateLimitConfig DEFAULTS =
            new FederationRateLimitConfig(Duration.ofSeconds(1), 10, Duration.ofMillis(500), 50, 3);

    /** Requires positive durations and limits of at least 1 (0 for {@code rejectLimit}). */
    public FederationRateLimitConfig {
        Objects.requireNonNull(window, "window");
        Objects.requireNonNull(sleepDelay, "sleepDelay");
        if (window.isNegative() || window.isZero()) {
            throw new IllegalArgumentException("window_size must be positive");
        }
        if (sleepDelay.isNegative()) {
            throw new IllegalArgumentException("sleep_delay must not be negative");
        }
        if (sleepLimit < 1 || concurrent < 1 || rejectLimit < 0) {
            throw new IllegalArgumentException(
                    "sleep_limit and concurrent must be at least 1, reject_limit at least 0");
        }
    }
}
