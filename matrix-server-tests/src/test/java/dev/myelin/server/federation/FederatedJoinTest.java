package dev.myelin.server.federation;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.myelin.testing.TestClient;
import dev.myelin.testing.TestFederation;
import dev.myelin.testing.TestResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Joining a room of another server: make_join and send_join between two in-process homeservers. */
class FederatedJoinTest {
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
    void aUserJoinsAPublicRoomOfAnotherServerAndBothServersSeeTheJoin() {
        String room = publicRoom("Federated");

        bob.join(room).expect(200);

        // b.test now has the room: bob's sync shows it joined, with its state
        JsonNode joined = bob.sync(null, Map.of("timeout", "0"))
                .path("rooms")
                .path("join")
                .path(room);
        assertThat(joined.isMissingNode()).as("bob's sync has the room").isFalse();
        List<String> stateTypes = types(joined.path("state").path("events"));
        stateTypes.addAll(types(joined.path("timeline").path("events")));
        assertThat(stateTypes).contains("m.room.create", "m.room.power_levels", "m.room.name", "m.room.member");
        assertThat(bob.get("/_matrix/client/v3/rooms/" + TestClient.encode(room) + "/state/m.room.name/")
                        .expect(200)
                        .json()
                        .path("name")
                        .asText())
                .isEqualTo("Federated");
        // a.test has bob's join in its room
        assertThat(alice.get("/_matrix/client/v3/rooms/" + TestClient.encode(room) + "/joined_members")
                        .expect(200)
                        .json()
                        .path("joined")
                        .has(bob.userId()))
                .isTrue();
        JsonNode members = bob.get("/_matrix/client/v3/rooms/" + TestClient.encode(room) + "/joined_members")
                .expect(200)
                .json()
                .path("joined");
        assertThat(members.has(alice.userId()) && members.has(bob.userId())).isTrue();
    }

    @Test
    void anInviteOnlyRoomRefusesTheJoinAndNothingIsLeftBehind() {
        ObjectNode body = JsonNodeFactory.instance.objectNode().put("preset", "private_chat");
        String room = alice.createRoom(body);

        TestResponse refused = bob.join(room);

        assertThat(refused.status()).isEqualTo(403);
        assertThat(bob.get("/_matrix/client/v3/joined_rooms")
                        .expect(200)
                        .json()
                        .path("joined_rooms")
                        .size())
                .isZero();
    }

    @Test
    void anUnknownRoomOrServerIsNotFoundOrUnreachable() {
        assertThat(bob.join("!nope:a.test").status()).isEqualTo(404);
        assertThat(bob.join("!nope:c.test").status()).isEqualTo(502);
    }

    private String publicRoom(String name) {
        ObjectNode body = JsonNodeFactory.instance
                .objectNode()
                .put("preset", "public_chat")
                .put("name", name);
        return alice.createRoom(body);
    }

    private static List<String> types(JsonNode events) {
        List<String> out = new ArrayList<>();
        events.forEach(e -> out.add(e.path("type").asText()));
        return out;
    }
}
