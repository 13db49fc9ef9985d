package dev.myelin.testing.workers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The command line of {@link WorkerDeployment#main}. */
class DeploymentArgumentsTest {
    @Test
    void readsEveryFlagInBothSpellings() {
        DeploymentArguments args = DeploymentArguments.parse(
                "--jar",
                "/x/myelin.jar",
                "--persisters=3",
                "--sync-workers",
                "2",
                "--generic-workers",
                "1",
                "--server-name",
                "w.example",
                "--start-timeout-seconds",
                "90",
                "--database-url",
                "jdbc:postgresql://127.0.0.1:5432/db",
                "--database-user",
                "me",
                "--database-password",
                "pw",
                "--set",
                "presence={\"enabled\": false}",
                "--set",
                "default_room_version=10",
                "--set",
                "public_baseurl=http://x/");
        WorkerDeployment.Builder builder = args.builder();
        assertThat(builder).isNotNull();
        assertThat(args.shared())
                .containsExactlyEntriesOf(Map.of(
                        "presence",
                        Map.of("enabled", false),
                        "default_room_version",
                        10,
                        "public_baseurl",
                        "http://x/"));
        assertThat(args.counts()).containsExactly(3, 2, 1);
    }

    @Test
    void refusesUnknownFlagsMissingValuesAndBadNumbers() {
        for (List<String> bad : List.of(
                List.of("--persister", "2"),
                List.of("--persisters"),
                List.of("--persisters", "two"),
                List.of("--set", "novalue"),
                List.of("--set", "=1"))) {
            assertThatThrownBy(() -> DeploymentArguments.parse(bad.toArray(String[]::new)))
                    .as(bad.toString())
                    .isInstanceOf(IllegalArgumentException.class);
        }
    }

    @Test
    void theBuilderRefusesNegativeCountsAndClashingNames() {
        DeploymentArguments args =
                DeploymentArguments.parse("--persisters", "-1", "--database-url", "jdbc:postgresql://127.0.0.1/db");
        assertThatThrownBy(args::builder).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> DeploymentArguments.parse("--database-url", "jdbc:sqlite:/tmp/x.db")
                        .builder())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("PostgreSQL");
    }
}
