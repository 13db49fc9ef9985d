package dev.myelin.server.api.appservice;

import static dev.myelin.server.api.appservice.FakeBridges.json;
import static org.assertj.core.api.Assertions.assertThat;

import dev.myelin.http.client.OutboundHttpException;
import dev.myelin.testing.TestHomeserver;
import dev.myelin.testing.TestResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code POST /_matrix/client/v1/appservice/{appserviceId}/ping}: a service checks the homeserver reaches it. */
class AppServicePingApiTest {
    private static final String PING = "/_matrix/client/v1/appservice/%s/ping";

    @TempDir
    Path dir;

    private static TestResponse ping(TestHomeserver hs, String id, Object body, String token) {
        return hs.request("POST", PING.formatted(id), body, token);
    }

    private static void assertError(TestResponse response, int status, String errcode) {
        assertThat(response.status()).as(response.body()).isEqualTo(status);
        assertThat(response.errcode()).as(response.body()).isEqualTo(errcode);
    }

    @Test
    void theServiceIsCalledWithTheTransactionIdAndTheDurationIsAnswered() {
        FakeBridges bridges = new FakeBridges(dir).register("one", true).register("two", true);
        try (TestHomeserver hs = bridges.start()) {
            bridges.answer("one", "/ping", request -> {
                hs.clock().advance(Duration.ofMillis(42));
                return FakeBridges.response(200, "{}");
            });
            assertThat(ping(hs, "one", json("{\"transaction_id\": \"t1\"}"), "as-one")
                            .expect(200)
                            .json())
                    .isEqualTo(json("{\"duration_ms\": 42}"));
            assertThat(ping(hs, "one", json("{}"), "as-one").status()).isEqualTo(200);
            assertThat(bridges.received)
                    .extracting(FakeBridges.Received::method, FakeBridges.Received::path, FakeBridges.Received::body)
                    .containsExactly(
                            org.assertj.core.groups.Tuple.tuple("POST", "/ping", "{\"transaction_id\":\"t1\"}"),
                            org.assertj.core.groups.Tuple.tuple("POST", "/ping", "{}"));
            assertThat(bridges.received)
                    .allSatisfy(r -> assertThat(r.authorization()).isEqualTo("Bearer hs-one"));
        }
    }

    @Test
    void onlyTheServiceItselfMayPingIt() {
        FakeBridges bridges = new FakeBridges(dir).register("one", true).register("two", true);
        bridges.answer("one", "/ping", 200, "{}");
        try (TestHomeserver hs = bridges.start()) {
            String user = hs.registerUser("alice").accessToken().orElseThrow();
            assertError(ping(hs, "one", json("{}"), user), 403, "M_FORBIDDEN");
            assertError(ping(hs, "one", json("{}"), "as-two"), 403, "M_FORBIDDEN");
            assertError(ping(hs, "nobody", json("{}"), "as-one"), 403, "M_FORBIDDEN");
            assertError(ping(hs, "one", json("{}"), null), 401, "M_MISSING_TOKEN");
            assertError(ping(hs, "one", json("{\"transaction_id\": 5}"), "as-one"), 400, "M_BAD_JSON");
            assertError(ping(hs, "one", "not json", "as-one"), 400, "M_NOT_JSON");
            assertThat(bridges.received).isEmpty();
        }
    }

    @Test
    void failuresToReachTheServiceAreTold() {
        FakeBridges bridges = new FakeBridges(dir)
                .register("nourl", false)
                .register("refusing", true)
                .register("slow", true)
                .register("unhappy", true);
        bridges.down("refusing", "/ping");
        bridges.answer("slow", "/ping", request -> {
            throw new OutboundHttpException("timed out", new TimeoutException("30s"));
        });
        bridges.answer("unhappy", "/ping", 401, "{\"errcode\": \"M_UNKNOWN_TOKEN\"}");
        try (TestHomeserver hs = bridges.start()) {
            assertError(ping(hs, "nourl", json("{}"), "as-nourl"), 400, "M_URL_NOT_SET");
            assertError(ping(hs, "refusing", json("{}"), "as-refusing"), 502, "M_CONNECTION_FAILED");
            assertError(ping(hs, "slow", json("{}"), "as-slow"), 504, "M_CONNECTION_TIMEOUT");
            TestResponse bad = ping(hs, "unhappy", json("{}"), "as-unhappy");
            assertThat(bad.status()).isEqualTo(502);
            assertThat(bad.json()).isEqualTo(json("""
                            {"errcode": "M_BAD_STATUS", "error": "Ping returned status 401", "status": 401,
                             "body": "{\\"errcode\\":\\"M_UNKNOWN_TOKEN\\"}"}"""));
        }
    }
}
