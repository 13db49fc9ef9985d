package dev.myelin.federation.backoff;

import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Durations as Synapse's configuration writes them: a whole number of milliseconds ({@code 1500} or
 * {@code "1500"}), or a whole number with one unit: {@code s}, {@code m}, {@code h}, {@code d},
 * {@code w} (7 days) or {@code y} (365 days); {@code ms} is accepted too.
 */
final class ConfigDurations {
    private static final Pattern WITH_UNIT = Pattern.compile("(\\d+)(ms|s|m|h|d|w|y)?");

    private ConfigDurations() {}

    /**
     * Parses {@code value}.
     *
     * @param key the key's full name, for the error message
     * @param value an integral number or a string
     * @return the duration, zero or more
     * @throws IllegalArgumentException naming the key when the value is not a duration
     */
    static Duration parse(String key, Object value) {
        if (value instanceof Integer || value instanceof Long || value instanceof Short) {
            long ms = ((Number) value).longValue();
            if (ms < 0) {
                throw invalid(key, value);
            }
            return Duration.ofMillis(ms);
        }
        if (!(value instanceof String text)) {
            throw invalid(key, value);
        }
        Matcher m = WITH_UNIT.matcher(text.trim());
        if (!m.matches()) {
            throw invalid(key, value);
        }
        try {
            long amount = Long.parseLong(m.group(1));
            String unit = m.group(2) == null ? "ms" : m.group(2);
            long unitMs = switch (unit) {
                case "ms" -> 1L;
                case "s" -> 1_000L;
                case "m" -> 60_000L;
                case "h" -> 3_600_000L;
                case "d" -> 86_400_000L;
                case "w" -> 7 * 86_400_000L;
                default -> 365 * 86_400_000L;
            };
            return Duration.ofMillis(Math.multiplyExact(amount, unitMs));
        } catch (NumberFormatException | ArithmeticException e) {
            throw invalid(key, value);
        }
    }

    private static IllegalArgumentException invalid(String key, Object value) {
        return new IllegalArgumentException("'" + key + "' must be a duration such as 30s, 10m, 1d or 1w, or a "
                + "number of milliseconds, not " + (value instanceof String ? "'" + value + "'" : value));
    }
}
