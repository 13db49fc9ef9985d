package dev.myelin.server.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.myelin.federation.backoff.FederationRetryConfig;
import dev.myelin.federation.backoff.RequestRetryPolicy;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class FederationRetryConfigLoadingTest {
    private final List<String> warnings = new ArrayList<>();
    private final ConfigLoader loader = new ConfigLoader(warnings::add);

    private HomeserverConfig parse(String yaml) {
        return loader.parse("homeserver.yaml", "server_name: example.org\n" + yaml, Path.of("/srv/myelin"));
    }

    @Test
    void withoutAFederationSectionSynapsesDefaultsApply() {
        assertThat(parse("").federationRetry()).isEqualTo(FederationRetryConfig.DEFAULT);
        assertThat(parse("federation:\n").federationRetry()).isEqualTo(FederationRetryConfig.DEFAULT);
        assertThat(warnings).isEmpty();
    }

    @Test
    void readsTheFederationSectionAsSynapseWritesIt() {
        HomeserverConfig config = parse("""
                federation:
                  client_timeout: 180s
                  max_short_retry_delay: 7s
                  max_long_retry_delay: 100000
                  max_short_retries: 5
                  max_long_retries: 20
                  destination_min_retry_interval: 30s
                  destination_retry_multiplier: 5
                  destination_max_retry_interval: 1w
                """);
        assertThat(config.federationRetry())
                .isEqualTo(new FederationRetryConfig(
                        Duration.ofSeconds(30),
                        5,
                        Duration.ofDays(7),
                        new RequestRetryPolicy(20, Duration.ofSeconds(100), 5, Duration.ofSeconds(7))));
        assertThat(warnings)
                .as("client_timeout is not read yet")
                .containsExactly("homeserver.yaml: unknown key 'federation.client_timeout' is ignored");
    }

    @Test
    void aBadValueStopsStartUpNamingFileAndKey() {
        assertThatThrownBy(() -> parse("federation:\n  destination_min_retry_interval: soon\n"))
                .isInstanceOf(ConfigException.class)
                .hasMessageStartingWith(
                        "homeserver.yaml: 'federation.destination_min_retry_interval' must be a duration");
        assertThatThrownBy(() -> parse("federation:\n  max_long_retries: -2\n"))
                .isInstanceOf(ConfigException.class)
                .hasMessageStartingWith("homeserver.yaml: 'federation.max_long_retries' must be a whole number");
        assertThatThrownBy(() -> parse("federation:\n  destination_retry_multiplier: 0\n"))
                .isInstanceOf(ConfigException.class)
                .hasMessageStartingWith(
                        "homeserver.yaml: 'federation.destination_retry_multiplier' must be a number of at least 1");
        assertThatThrownBy(() -> parse("federation: [1, 2]\n"))
                .isInstanceOf(ConfigException.class)
                .hasMessage("homeserver.yaml: 'federation' must be a mapping");
    }
}
