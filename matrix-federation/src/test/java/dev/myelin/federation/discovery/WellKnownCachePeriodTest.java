package dev.myelin.federation.discovery;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Reading a {@code .well-known} answer's cache headers. */
class WellKnownCachePeriodTest {
    private static final Instant NOW = Instant.parse("2026-01-01T00:00:00Z");

    private static Duration period(Map<String, List<String>> headers) {
        return WellKnownCachePeriod.forValid(headers, NOW);
    }

    @Test
    void maxAgeWinsOverExpires() {
        assertThat(period(Map.of(
                        "cache-control", List.of("max-age=7200"),
                        "expires", List.of("Thu, 01 Jan 2026 10:00:00 GMT"))))
                .isEqualTo(Duration.ofHours(2));
    }

    @Test
    void directivesMaySpanSeveralHeadersInAnyCase() {
        assertThat(period(Map.of("cache-control", List.of("public", "Max-Age = 600"))))
                .isEqualTo(Duration.ofMinutes(10));
        assertThat(period(Map.of("cache-control", List.of("max-age=\"900\"")))).isEqualTo(Duration.ofMinutes(15));
    }

    @Test
    void noStoreIsTheShortestPeriod() {
        assertThat(period(Map.of("cache-control", List.of("max-age=7200, no-store"))))
                .isEqualTo(Duration.ofMinutes(5));
    }

    @Test
    void anUnreadableMaxAgeFallsBackToExpiresThenToTheDefault() {
        assertThat(period(Map.of(
                        "cache-control", List.of("max-age=soon"),
                        "expires", List.of("Thu, 01 Jan 2026 03:00:00 GMT"))))
                .isEqualTo(Duration.ofHours(3));
        assertThat(period(Map.of("cache-control", List.of("max-age=soon")))).isEqualTo(Duration.ofHours(24));
    }

    @Test
    void anUnreadableOrPastExpiresIsAlreadyExpired() {
        assertThat(WellKnownCachePeriod.fromHeaders(Map.of("expires", List.of("0")), NOW))
                .contains(Duration.ZERO);
        assertThat(period(Map.of("expires", List.of("0")))).isEqualTo(Duration.ofMinutes(5));
        assertThat(period(Map.of("expires", List.of("Wed, 31 Dec 2025 00:00:00 GMT"))))
                .isEqualTo(Duration.ofMinutes(5));
    }

    @Test
    void periodsAreCappedAt48Hours() {
        assertThat(period(Map.of("cache-control", List.of("max-age=999999999"))))
                .isEqualTo(Duration.ofHours(48));
        assertThat(period(Map.of("expires", List.of("Fri, 01 Jan 2027 00:00:00 GMT"))))
                .isEqualTo(Duration.ofHours(48));
    }

    @Test
    void withoutHeadersThePeriodIs24Hours() {
        assertThat(WellKnownCachePeriod.fromHeaders(Map.of(), NOW)).isEmpty();
        assertThat(period(Map.of())).isEqualTo(Duration.ofHours(24));
    }
}
