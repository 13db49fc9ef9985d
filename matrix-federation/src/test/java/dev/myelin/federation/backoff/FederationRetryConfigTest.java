package dev.myelin.federation.backoff;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class FederationRetryConfigTest {

    @Test
    void anEmptySectionGivesSynapsesDefaults() {
        FederationRetryConfig config = FederationRetryConfig.fromMap(Map.of());
        assertThat(config).isEqualTo(FederationRetryConfig.DEFAULT);
        assertThat(config.destinationMinRetryInterval()).isEqualTo(Duration.ofMinutes(10));
        assertThat(config.destinationRetryMultiplier()).isEqualTo(2.0);
        assertThat(config.destinationMaxRetryInterval()).isEqualTo(Duration.ofDays(7));
        assertThat(config.requestRetries()).isEqualTo(RequestRetryPolicy.DEFAULT);
    }

    @Test
    void readsSynapsesExampleSection() {
        FederationRetryConfig config = FederationRetryConfig.fromMap(Map.of(
                "client_timeout", "180s",
                "max_short_retry_delay", "7s",
                "max_long_retry_delay", "100s",
                "max_short_retries", 5,
                "max_long_retries", 20L,
                "destination_min_retry_interval", "30s",
                "destination_retry_multiplier", 5,
                "destination_max_retry_interval", "12h"));
        assertThat(config)
                .isEqualTo(new FederationRetryConfig(
                        Duration.ofSeconds(30),
                        5,
                        Duration.ofHours(12),
                        new RequestRetryPolicy(20, Duration.ofSeconds(100), 5, Duration.ofSeconds(7))));
    }

    @Test
    void durationsAreMillisecondsOrANumberWithAUnit() {
        assertThat(min(1500)).isEqualTo(Duration.ofMillis(1500));
        assertThat(min("1500")).isEqualTo(Duration.ofMillis(1500));
        assertThat(min("250ms")).isEqualTo(Duration.ofMillis(250));
        assertThat(min("45s")).isEqualTo(Duration.ofSeconds(45));
        assertThat(min("10m")).isEqualTo(Duration.ofMinutes(10));
        assertThat(min("2h")).isEqualTo(Duration.ofHours(2));
        assertThat(min("1d")).isEqualTo(Duration.ofDays(1));
        assertThat(min("1w")).isEqualTo(Duration.ofDays(7));
        assertThat(min("1y")).isEqualTo(Duration.ofDays(365));
        assertThat(min(0)).as("zero turns backoff off").isZero();
    }

    @Test
    void theMaximumIsCappedAtTwoToTheSixtySecondMilliseconds() {
        FederationRetryConfig config =
                FederationRetryConfig.fromMap(Map.of("destination_max_retry_interval", "200000000y"));
        assertThat(config.destinationMaxRetryInterval()).isEqualTo(Duration.ofMillis(1L << 62));
    }

    @Test
    void aFractionalMultiplierIsAccepted() {
        assertThat(FederationRetryConfig.fromMap(Map.of("destination_retry_multiplier", 1.5))
                        .destinationRetryMultiplier())
                .isEqualTo(1.5);
    }

    @Test
    void badValuesNameTheirKey() {
        assertBad("destination_min_retry_interval", "ten minutes", "must be a duration");
        assertBad("destination_min_retry_interval", "10 parsecs", "must be a duration");
        assertBad("destination_max_retry_interval", "-5m", "must be a duration");
        assertBad("destination_max_retry_interval", -5, "must be a duration");
        assertBad("max_long_retry_delay", true, "must be a duration");
        assertBad("max_short_retry_delay", 1.5, "must be a duration");
        assertBad("max_short_retry_delay", "9999999999999999999y", "must be a duration");
        assertBad("destination_retry_multiplier", 0.5, "must be a number of at least 1");
        assertBad("destination_retry_multiplier", "2", "must be a number of at least 1");
        assertBad("max_long_retries", -1, "must be a whole number of at least 0");
        assertBad("max_short_retries", "3", "must be a whole number of at least 0");
        assertBad("max_short_retries", 2.5, "must be a whole number of at least 0");
        assertBad("max_long_retries", 1L << 40, "must be a whole number of at least 0");
    }

    private static Duration min(Object value) {
        return FederationRetryConfig.fromMap(Map.of("destination_min_retry_interval", value))
                .destinationMinRetryInterval();
    }

    private static void assertBad(String key, Object value, String problem) {
        assertThatThrownBy(() -> FederationRetryConfig.fromMap(Map.of(key, value)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("'federation." + key + "' " + problem);
    }
}
