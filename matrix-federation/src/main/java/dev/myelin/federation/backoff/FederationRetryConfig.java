package dev.myelin.federation.backoff;

import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * The retry settings of the {@code federation} section of {@code homeserver.yaml}, with Synapse's
 * key names, meanings and defaults (Synapse's {@code synapse/config/federation.py} and its
 * configuration manual):
 *
 * <table>
 *   <caption>keys</caption>
 *   <tr><th>key</th><th>default</th><th>meaning</th></tr>
 *   <tr><td>{@code destination_min_retry_interval}</td><td>10m</td><td>the backoff after the first failure</td></tr>
 *   <tr><td>{@code destination_retry_multiplier}</td><td>2</td><td>what the backoff is multiplied by after each
 *       further failure (times a jitter of 0.8 to 1.4)</td></tr>
 *   <tr><td>{@code destination_max_retry_interval}</td><td>7d (1w)</td><td>the longest backoff</td></tr>
 *   <tr><td>{@code max_long_retries}</td><td>10</td><td>retries of one background request</td></tr>
 *   <tr><td>{@code max_long_retry_delay}</td><td>60s</td><td>the longest delay between them</td></tr>
 *   <tr><td>{@code max_short_retries}</td><td>3</td><td>retries of one request someone waits for</td></tr>
 *   <tr><td>{@code max_short_retry_delay}</td><td>2s</td><td>the longest delay between them</td></tr>
 * </table>
 *
 * <p>The {@code destination_*} settings apply across requests to one destination
 * ({@link DestinationBackoff}); the others to the attempts of one request ({@link RequestRetryPolicy}).
 *
 * @param destinationMinRetryInterval the backoff after a destination's first failure; zero turns backoff off
 * @param destinationRetryMultiplier the growth of the backoff per further failure, at least 1
 * @param destinationMaxRetryInterval the cap on the backoff (at most 2<sup>62</sup> ms, as in Synapse)
 * @param requestRetries the per-request schedule: {@code max_long_retries}, {@code max_long_retry_delay},
 *     {@code max_short_retries}, {@code max_short_retry_delay}
 */
public record FederationRetryConfig(
        Duration destinationMinRetryInterval,
        double destinationRetryMultiplier,
        Duration destinationMaxRetryInterval,
        RequestRetryPolicy requestRetries) {

    /** The largest backoff stored, as Synapse caps it so the database column cannot overflow. */
    public static final Duration LARGEST_RETRY_INTERVAL = Duration.ofMillis(1L << 62);

    /** Synapse's defaults: 10 minutes, doubling, up to 7 days; {@link RequestRetryPolicy#DEFAULT}. */
    public static final FederationRetryConfig DEFAULT =
            new FederationRetryConfig(Duration.ofMinutes(10), 2, Duration.ofDays(7), RequestRetryPolicy.DEFAULT);

    /** The keys of the {@code federation} section this record reads. */
    public static final Set<String> KEYS = Set.of(
            "destination_min_retry_interval",
            "destination_retry_multiplier",
            "destination_max_retry_interval",
            "max_long_retries",
            "max_long_retry_delay",
            "max_short_retries",
            "max_short_retry_delay");

    public FederationRetryConfig {
        Objects.requireNonNull(destinationMinRetryInterval, "destinationMinRetryInterval");
        Objects.requireNonNull(destinationMaxRetryInterval, "destinationMaxRetryInterval");
        Objects.requireNonNull(requestRetries, "requestRetries");
        if (destinationMinRetryInterval.isNegative() || destinationMaxRetryInterval.isNegative()) {
            throw new IllegalArgumentException("retry intervals cannot be negative");
        }
        if (!(destinationRetryMultiplier >= 1) || Double.isInfinite(destinationRetryMultiplier)) {
            throw new IllegalArgumentException(
                    "the retry multiplier must be a number of at least 1: " + destinationRetryMultiplier);
        }
        if (destinationMaxRetryInterval.compareTo(LARGEST_RETRY_INTERVAL) > 0) {
            destinationMaxRetryInterval = LARGEST_RETRY_INTERVAL;
        }
    }

    /**
     * Reads the {@code federation} section, each absent key taking its default. Keys other than
     * {@link #KEYS} (such as {@code client_timeout}) are left to the caller.
     *
     * @param section the section as plain values (strings, numbers); durations are numbers of
     *     milliseconds or strings such as {@code "10m"}, {@code "1d"}, {@code "1w"}
     * @return the settings
     * @throws IllegalArgumentException naming the key ({@code 'federation.max_short_retries' must be ...})
     *     when a value is of the wrong type or out of range
     */
    public static FederationRetryConfig fromMap(Map<String, ?> section) {
        RequestRetryPolicy d = DEFAULT.requestRetries();
        return new FederationRetryConfig(
                duration(section, "destination_min_retry_interval", DEFAULT.destinationMinRetryInterval()),
                multiplier(section, "destination_retry_multiplier", DEFAULT.destinationRetryMultiplier()),
                duration(section, "destination_max_retry_interval", DEFAULT.destinationMaxRetryInterval()),
                new RequestRetryPolicy(
                        count(section, "max_long_retries", d.maxLongRetries()),
                        duration(section, "max_long_retry_delay", d.maxLongRetryDelay()),
                        count(section, "max_short_retries", d.maxShortRetries()),
                        duration(section, "max_short_retry_delay", d.maxShortRetryDelay())));
    }

    private static Duration duration(Map<String, ?> section, String key, Duration defaultValue) {
        Object value = section.get(key);
        return value == null ? defaultValue : ConfigDurations.parse("federation." + key, value);
    }

    private static int count(Map<String, ?> section, String key, int defaultValue) {
        Object value = section.get(key);
        if (value == null) {
            return defaultValue;
        }
        if ((value instanceof Integer || value instanceof Long || value instanceof Short)
                && ((Number) value).longValue() >= 0
                && ((Number) value).longValue() <= Integer.MAX_VALUE) {
            return ((Number) value).intValue();
        }
        throw new IllegalArgumentException(
                "'federation." + key + "' must be a whole number of at least 0, not " + quoted(value));
    }

    private static double multiplier(Map<String, ?> section, String key, double defaultValue) {
        Object value = section.get(key);
        if (value == null) {
            return defaultValue;
        }
        if (value instanceof Number n && n.doubleValue() >= 1 && Double.isFinite(n.doubleValue())) {
            return n.doubleValue();
        }
        throw new IllegalArgumentException(
                "'federation." + key + "' must be a number of at least 1, not " + quoted(value));
    }

    private static String quoted(Object value) {
        return value instanceof String ? "'" + value + "'" : String.valueOf(value);
    }
}
