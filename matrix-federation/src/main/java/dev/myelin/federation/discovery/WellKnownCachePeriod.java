package dev.myelin.federation.discovery;

import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * How long a {@code /.well-known/matrix/server} answer is kept. The spec asks to respect the
 * response's cache headers, default to 24 hours without them, cap at 48 hours, and cache errors
 * for up to an hour. The other numbers are Synapse's, so that operators see the same behaviour:
 * a header-given period is at least 5 minutes (so {@code no-store} or an {@code Expires} in the
 * past does not make every request fetch again), and a domain that recently served a valid answer
 * has its failures cached for 2 minutes only, so an outage of its web server heals quickly.
 */
final class WellKnownCachePeriod {
    /** Without cache headers. */
    static final Duration DEFAULT = Duration.ofHours(24);
    /** The cap on a header-given period. */
    static final Duration MAX = Duration.ofHours(48);
    /** The floor on a header-given period. */
    static final Duration MIN = Duration.ofMinutes(5);
    /** For a failed or invalid answer. */
    static final Duration ERROR = Duration.ofHours(1);
    /** For a failed answer from a domain that served a valid one recently. */
    static final Duration ERROR_AFTER_VALID = Duration.ofMinutes(2);
    /** How long after a valid answer expires its domain still counts as "recently valid". */
    static final Duration REMEMBER_VALID = Duration.ofHours(2);
    /** An answer is fetched again once less than this share of its period remains. */
    static final double REFRESH_SHARE = 0.2;

    private WellKnownCachePeriod() {}

    /**
     * The period for a valid answer with these headers (names lower-cased).
     *
     * @param headers the response headers
     * @param now the current wall time, against which {@code Expires} is read
     */
    static Duration forValid(Map<String, List<String>> headers, Instant now) {
        Optional<Duration> given = fromHeaders(headers, now);
        if (given.isEmpty()) {
            return DEFAULT;
        }
        Duration period = given.get();
        return period.compareTo(MAX) > 0 ? MAX : period.compareTo(MIN) < 0 ? MIN : period;
    }

    /**
     * What the headers say: {@code Cache-Control: no-store} is zero, then {@code max-age}, then
     * {@code Expires} (an unreadable date means "already expired", RFC 9111); empty when none of
     * them is present.
     */
    static Optional<Duration> fromHeaders(Map<String, List<String>> headers, Instant now) {
        Optional<String> maxAge = Optional.empty();
        for (String header : headers.getOrDefault("cache-control", List.of())) {
            for (String directive : header.split(",")) {
                String[] parts = directive.split("=", 2);
                String name = parts[0].trim().toLowerCase(Locale.ROOT);
                if (name.equals("no-store")) {
                    return Optional.of(Duration.ZERO);
                }
                if (name.equals("max-age") && parts.length == 2) {
                    maxAge = Optional.of(parts[1].trim().replace("\"", ""));
                }
            }
        }
        if (maxAge.isPresent()) {
            try {
                return Optional.of(Duration.ofSeconds(Long.parseLong(maxAge.get())));
            } catch (NumberFormatException e) {
                // an unreadable max-age is ignored; Expires may still say something
            }
        }
        List<String> expires = headers.getOrDefault("expires", List.of());
        if (expires.isEmpty()) {
            return Optional.empty();
        }
        try {
            Instant at = ZonedDateTime.parse(expires.getLast().trim(), DateTimeFormatter.RFC_1123_DATE_TIME)
                    .toInstant();
            return Optional.of(Duration.between(now, at));
        } catch (DateTimeParseException e) {
            return Optional.of(Duration.ZERO);
        }
    }
}
