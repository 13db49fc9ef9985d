package dev.myelin.server.federation;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.myelin.testing.TestClient;
import dev.myelin.testing.TestFederation;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Events another server sent, live or as backfilled history, are found by search like local ones. */
class FederatedSearchTest {
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

    private static List<String> bodies(TestClient client, String term) {
        ObjectNode body = JsonNodeFactory.instance.objectNode();
        body.putObject("search_categories")
                .putObject("room_events")
                .put("search_term", term)
                .put("order_by", "recent");
        JsonNode found =
                client.post("/_matrix/client/v3/search", body).expect(200).json();
        List<String> out = new ArrayList<>();
        found.at("/search_categories/room_events/results")
                .forEach(r -> out.add(r.at("/result/content/body").asText()));
        return out;
    }

    @Test
    void backfilledAndReceivedEventsAreSearchable() {
        String room = alice.createRoom(JsonNodeFactory.instance.objectNode().put("preset", "public_chat"));
        alice.sendMessage(room, "walnut history one");
        // newest first goes by origin_server_ts: the two messages are a second apart
        federation.clock().advance(Duration.ofSeconds(1));
        alice.sendMessage(room, "walnut history two");
        bob.sync();
        bob.join(room).expect(200);
        bob.get("/_matrix/client/v3/rooms/" + TestClient.encode(room) + "/messages?dir=b&limit=50")
                .expect(200);

        assertThat(bodies(bob, "walnut history"))
                .as("backfilled from a.test")
                .containsExactly("walnut history two", "walnut history one");

        alice.sendMessage(room, "walnut live");
        bob.awaitEvent(room, e -> e.body().filter("walnut live"::equals).isPresent());
        assertThat(bodies(bob, "walnut")).first().as("received over federation").isEqualTo("walnut live");
    }
}
