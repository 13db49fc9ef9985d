package dev.myelin.server.api;

import static org.assertj.core.api.Assertions.assertThat;

import dev.myelin.testing.HomeserverExtension;
import dev.myelin.testing.TestHomeserver;
import dev.myelin.testing.TestResponse;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** What operators' tools ask without an account: {@code /health} and the admin API's server version. */
@ExtendWith(HomeserverExtension.class)
class OperatorEndpointsApiTest {

    @Test
    void healthIsPlainOk(TestHomeserver hs) {
        TestResponse health = hs.anonymous().get("/health").expect(200);
        assertThat(health.body()).isEqualTo("OK");
        assertThat(health.header("Content-Type")).startsWith("text/plain");
    }

    @Test
    void theServerVersionIsServedAtSynapsesAdminPathWithoutAToken(TestHomeserver hs) {
        assertThat(hs.anonymous()
                        .get("/_synapse/admin/v1/server_version")
                        .expect(200)
                        .json()
                        .path("server_version")
                        .asText())
                .startsWith("Myelin ");
        assertThat(hs.anonymous()
                        .request("POST", "/_synapse/admin/v1/server_version", "{}")
                        .status())
                .isIn(404, 405);
    }
}
