package dev.myelin.server.api.federation;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.myelin.testing.TestClient;
import dev.myelin.testing.TestFederation;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@code federation_domain_whitelist} on the way out, between in-process homeservers: hs.test
 * lists itself and allowed.test, so it never contacts other.test, neither to fetch its keys (as a
 * notary) nor to deliver to-device messages, while allowed.test is reached as usual.
 */
class FederationDomainWhitelistOutboundTest {
    private static final Duration WAIT = Duration.ofSeconds(20);

    private TestFederation federation;

    @BeforeEach
    void start() {
        federation = TestFederation.start(
                b -> b.config("federation_domain_whitelist", "[hs.test, allowed.test]"),
                "hs.test",
                "allowed.test",
                "other.test");
    }

    @AfterEach
    void stop() {
        federation.close();
    }

    private int attemptsTo(String to) {
        return federation.link("hs.test", to).attempted();
    }

    @Test
    void theNotaryDoesNotFetchTheKeysOfAnUnlistedServer() {
        TestClient anyone = federation.server("hs.test").anonymous();

        JsonNode other =
                anyone.get("/_matrix/key/v2/query/other.test").expect(200).json();
        assertThat(other.path("server_keys")).isEmpty();
        assertThat(attemptsTo("other.test")).as("other.test is never contacted").isZero();

        JsonNode allowed =
                anyone.get("/_matrix/key/v2/query/allowed.test").expect(200).json();
        assertThat(allowed.path("server_keys")).hasSize(1);
        assertThat(allowed.path("server_keys").get(0).path("server_name").asText())
                .isEqualTo("allowed.test");
        assertThat(federation.link("hs.test", "allowed.test").delivered())
                .extracting(r -> r.uri().getPath())
                .contains("/_matrix/key/v2/server");
    }

    @Test
    void toDeviceMessagesReachListedServersOnly() {
        TestClient alice = federation.server("hs.test").registerUser("alice");
        TestClient bob = federation.server("other.test").registerUser("bob");
        TestClient carol = federation.server("allowed.test").registerUser("carol");

        ObjectNode body = JsonNodeFactory.instance.objectNode();
        ObjectNode messages = body.putObject("messages");
        messages.putObject(bob.userId()).putObject(bob.deviceId()).put("text", "for bob");
        messages.putObject(carol.userId()).putObject(carol.deviceId()).put("text", "for carol");
        alice.put("/_matrix/client/v3/sendToDevice/org.example.test/m1", body).expect(200);

        assertThat(awaitToDevice(carol, 1, WAIT)).containsExactly("for carol");
        assertThat(attemptsTo("other.test")).isZero();
        assertThat(awaitToDevice(bob, 1, Duration.ofSeconds(1))).isEmpty();
        assertThat(attemptsTo("other.test")).as("other.test is never contacted").isZero();
    }

    /** The to-device messages {@code client} receives until {@code count} arrived or {@code wait} passed. */
    private static List<String> awaitToDevice(TestClient client, int count, Duration wait) {
        List<String> seen = new ArrayList<>();
        Instant deadline = Instant.now().plus(wait);
        String since = null;
        while (seen.size() < count && Instant.now().isBefore(deadline)) {
            JsonNode sync = client.sync(since, Map.of("timeout", "0"));
            since = sync.path("next_batch").asText();
            for (JsonNode event : sync.path("to_device").path("events")) {
                seen.add(event.path("content").path("text").asText());
            }
            if (seen.size() < count) {
                try {
                    Thread.sleep(20);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new AssertionError(e);
                }
            }
        }
        return seen;
    }
}
