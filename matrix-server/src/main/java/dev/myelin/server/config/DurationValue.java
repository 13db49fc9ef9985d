package dev.myelin.server.config;

import java.time.Duration;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Durations written the way Synapse configs write them: a number of milliseconds ({@code 1500}) or
 * a number with a unit ({@code 500ms}, {@code 30s}, {@code 5m}, {@code 1h}, {@code 2d}, {@code 1w},
 * {@code 1y}, a year being 365 days as in Synapse).
 */
final class DurationValue {
    private static final Pattern WITH_UNIT = Pattern.compile("(\\d+)\\s*(ms|s|m|h|d|w|y)?");

    private DurationValue() {}

    /** The positive duration at {@code node}, or {@code defaultValue} when it is absent. */
    static Duration parse(ConfigNode node, Duration defaultValue) {
        String text = node.string().orElse(null);
        if (text == null) {
            return defaultValue;
        }
        Matcher m = WITH_UNIT.matcher(text.trim().toLowerCase(Locale.ROOT));
        if (!m.matches()) {
            throw node.error("must be a duration such as 30s, 500ms or 5m");
        }
        try {
            long amount = Long.parseLong(m.group(1));
            Duration value = switch (m.group(2) == null ? "ms" : m.group(2)) {
                case "ms" -> Duration.ofMillis(amount);
                case "s" -> Duration.ofSeconds(amount);
                case "m" -> Duration.ofMinutes(amount);
                case "h" -> Duration.ofHours(amount);
                case "d" -> Duration.ofDays(amount);
                case "w" -> Duration.ofDays(Math.multiplyExact(amount, 7));
                default -> Duration.ofDays(Math.multiplyExact(amount, 365));
            };
            if (value.isZero()) {
                throw node.error("must be a positive duration such as 30s");
            }
            value.toMillis(); // reject what does not fit in milliseconds
            return value;
        } catch (NumberFormatException | ArithmeticException e) {
            throw node.error("must be a duration such as 30s, 500ms or 5m");
        }
    }
}
