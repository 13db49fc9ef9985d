package dev.myelin.testing;

import static dev.myelin.testing.MatrixAssertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The homeservers of a TestFederation really federate: signed requests, key fetching over the
 * links, and the transaction queue with its backoff on the shared clock, shown with to-device
 * messages between users of two servers.
 */
class TestFederationSendTest {
    private static final Duration WAIT = Duration.ofSeconds(20);

    private TestFederation federation;
    private TestClient alice;
    private TestClient bob;

    @BeforeEach
    void start() {
        federation = TestFederation.start("a.test", "b.test");
        alice = federation.server("a.test").registerUser("alice");
        bob = federation.server("b.test").registerUser("bob");
    }

    @AfterEach
    void stop() {
        federation.close();
    }

    @Test
    void aToDeviceMessageReachesADeviceOnAnotherServer() {
        sendToBob("m1", "hello");

        assertThat(awaitToDevice(bob, 1)).containsExactly("hello");
        List<String> paths = federation.link("a.test", "b.test").delivered().stream()
                .map(r -> r.uri().getPath())
                .toList();
        assertThat(paths).anyMatch(p -> p.startsWith("/_matrix/federation/v1/send/"));
        // b.test checked a.test's signature with the key it fetched from a.test
        assertThat(federation.link("b.test", "a.test").delivered())
                .extracting(r -> r.uri().getPath())
                .contains("/_matrix/key/v2/server");
    }

    @Test
    void aBrokenLinkHoldsTransactionsUntilItHealsThenDeliversThemInOrder() {
        federation.link("a.test", "b.test").fail();
        sendToBob("m1", "one");
        awaitAttempts(1);
        sendToBob("m2", "two");
        sendToBob("m3", "three");

        // the destination is in backoff (10 minutes after the first failure): nothing is tried meanwhile
        federation.clock().advance(Duration.ofMinutes(5));
        assertThat(attempts()).isEqualTo(1);
        assertThat(toDevice(bob)).isEmpty();

        federation.link("a.test", "b.test").heal();
        federation.clock().advance(Duration.ofMinutes(6));
        assertThat(awaitToDevice(bob, 3)).containsExactly("one", "two", "three");
        // the first transaction was sent again as it was, the later messages after it
        List<String> sends = federation.link("a.test", "b.test").delivered().stream()
                .map(r -> r.uri().getPath())
                .filter(p -> p.startsWith("/_matrix/federation/v1/send/"))
                .toList();
        assertThat(sends).isNotEmpty();
    }

    private void sendToBob(String txnId, String text) {
        ObjectNode body = JsonNodeFactory.instance.objectNode();
        body.putObject("messages")
                .putObject(bob.userId())
                .putObject(bob.deviceId())
                .put("text", text);
        assertThat(alice.put("/_matrix/client/v3/sendToDevice/org.example.test/" + txnId, body))
                .hasStatus(200);
    }

    private int attempts() {
        // a refused request never reaches the target, so count what the sender tried through the link
        return federation.link("a.test", "b.test").attempted();
    }

    private void awaitAttempts(int count) {
        Instant deadline = Instant.now().plus(WAIT);
        while (attempts() < count && Instant.now().isBefore(deadline)) {
            pause();
        }
        assertThat(attempts()).isGreaterThanOrEqualTo(count);
    }

    private static List<String> awaitToDevice(TestClient client, int count) {
        List<String> seen = new ArrayList<>();
        Instant deadline = Instant.now().plus(WAIT);
        String since = null;
        while (seen.size() < count && Instant.now().isBefore(deadline)) {
            JsonNode sync = client.sync(since, Map.of("timeout", "0"));
            since = sync.path("next_batch").asText();
            for (JsonNode event : sync.path("to_device").path("events")) {
                seen.add(event.path("content").path("text").asText());
            }
            if (seen.size() < count) {
                pause();
            }
        }
        return seen;
    }

    private static List<String> toDevice(TestClient client) {
        List<String> seen = new ArrayList<>();
        for (JsonNode event :
                client.sync(null, Map.of("timeout", "0")).path("to_device").path("events")) {
            seen.add(event.path("content").path("text").asText());
        }
        return seen;
    }

    private static void pause() {
        try {
            Thread.sleep(20);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }
}
