package dev.myelin.server.federation;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.myelin.testing.SyncResponse;
import dev.myelin.testing.TestClient;
import dev.myelin.testing.TestFederation;
import java.time.Duration;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;

/** Typing notifications and read receipts of local users reach the other servers in the room. */
class FederatedEphemeralTest {
    private static final String V3 = "/_matrix/client/v3";

    @Test
    void typingAndReadReceiptsCrossToTheOtherServer() {
        try (TestFederation federation = TestFederation.start("a.test", "b.test")) {
            TestClient alice = federation.server("a.test").registerUser("alice");
            TestClient bob = federation.server("b.test").registerUser("bob");
            String room = alice.createRoom(JsonNodeFactory.instance.objectNode().put("preset", "public_chat"));
            bob.join(room).expect(200);
            String message = alice.sendMessage(room, "hello");
            bob.awaitEvent(room, e -> e.body().filter("hello"::equals).isPresent());

            String typingPath =
                    V3 + "/rooms/" + TestClient.encode(room) + "/typing/" + TestClient.encode(alice.userId());
            alice.put(
                            typingPath,
                            JsonNodeFactory.instance
                                    .objectNode()
                                    .put("typing", true)
                                    .put("timeout", 30000))
                    .expect(200);
            bob.awaitSync(
                    ephemeral(
                            room,
                            e -> e.path("type").asText().equals("m.typing")
                                    && e.path("content")
                                            .path("user_ids")
                                            .toString()
                                            .contains(alice.userId())),
                    Duration.ofSeconds(30));

            alice.put(typingPath, JsonNodeFactory.instance.objectNode().put("typing", false))
                    .expect(200);
            bob.awaitSync(
                    ephemeral(
                            room,
                            e -> e.path("type").asText().equals("m.typing")
                                    && e.path("content").path("user_ids").isEmpty()),
                    Duration.ofSeconds(30));

            alice.post(
                            V3 + "/rooms/" + TestClient.encode(room) + "/receipt/m.read/" + TestClient.encode(message),
                            JsonNodeFactory.instance.objectNode())
                    .expect(200);
            bob.awaitSync(
                    ephemeral(
                            room,
                            e -> e.path("type").asText().equals("m.receipt")
                                    && e.path("content")
                                            .path(message)
                                            .path("m.read")
                                            .has(alice.userId())),
                    Duration.ofSeconds(30));
        }
    }

    @Test
    void presenceCrossesToTheOtherServerAndNewMembersGetTheRoomsPresence() {
        try (TestFederation federation = TestFederation.start("a.test", "b.test")) {
            TestClient alice = federation.server("a.test").registerUser("alice");
            TestClient bob = federation.server("b.test").registerUser("bob");
            alice.put(
                            V3 + "/presence/" + TestClient.encode(alice.userId()) + "/status",
                            JsonNodeFactory.instance
                                    .objectNode()
                                    .put("presence", "online")
                                    .put("status_msg", "here"))
                    .expect(200);
            String room = alice.createRoom(JsonNodeFactory.instance.objectNode().put("preset", "public_chat"));

            // joining, bob's server is sent the presence of the room's members at once
            bob.join(room).expect(200);
            bob.awaitSync(presence(alice.userId(), "online"), Duration.ofSeconds(30));

            alice.put(
                            V3 + "/presence/" + TestClient.encode(alice.userId()) + "/status",
                            JsonNodeFactory.instance.objectNode().put("presence", "unavailable"))
                    .expect(200);
            bob.awaitSync(presence(alice.userId(), "unavailable"), Duration.ofSeconds(30));
        }
    }

    private static Predicate<SyncResponse> presence(String user, String state) {
        return sync -> {
            for (JsonNode e : sync.json().path("presence").path("events")) {
                if (e.path("sender").asText().equals(user)
                        && e.path("content").path("presence").asText().equals(state)) {
                    return true;
                }
            }
            return false;
        };
    }

    private static Predicate<SyncResponse> ephemeral(String room, Predicate<JsonNode> event) {
        return sync -> {
            for (JsonNode e : sync.json()
                    .path("rooms")
                    .path("join")
                    .path(room)
                    .path("ephemeral")
                    .path("events")) {
                if (event.test(e)) {
                    return true;
                }
            }
            return false;
        };
    }
}
