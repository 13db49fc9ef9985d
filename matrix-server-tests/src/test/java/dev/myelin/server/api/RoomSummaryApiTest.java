package dev.myelin.server.api;

import static dev.myelin.server.api.ProfileApiTest.assertError;
import static dev.myelin.testing.TestClient.encode;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.myelin.testing.HomeserverExtension;
import dev.myelin.testing.TestClient;
import dev.myelin.testing.TestHomeserver;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * {@code GET /_matrix/client/v1/room_summary/{roomIdOrAlias}} and {@code GET
 * /_matrix/client/v1/mutual_rooms} on one server.
 */
@ExtendWith(HomeserverExtension.class)
class RoomSummaryApiTest {
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    private static final String SUMMARY = "/_matrix/client/v1/room_summary/";
    private static final String MUTUAL = "/_matrix/client/v1/mutual_rooms?user_id=";

    @Test
    void summarisesAPublicRoomByIdOrAliasEvenWithoutAToken(TestHomeserver hs) {
        TestClient alice = hs.registerUser("alice");
        ObjectNode create = NODES.objectNode()
                .put("preset", "public_chat")
                .put("name", "Cheese")
                .put("topic", "Tasty")
                .put("room_alias_name", "cheese");
        create.putObject("creation_content").put("type", "m.space");
        String room = alice.createRoom(create);

        JsonNode summary = alice.get(SUMMARY + encode(room)).expect(200).json();
        ObjectNode expected = NODES.objectNode()
                .put("room_id", room)
                .put("name", "Cheese")
                .put("topic", "Tasty")
                .put("canonical_alias", "#cheese:test.local")
                .put("num_joined_members", 1)
                .put("join_rule", "public")
                .put("world_readable", false)
                .put("guest_can_join", false)
                .put("room_type", "m.space")
                .put("room_version", "10")
                .put("membership", "join");
        assertThat(summary).isEqualTo(expected);

        JsonNode anonymous = hs.anonymous()
                .get(SUMMARY + encode("#cheese:test.local"))
                .expect(200)
                .json();
        expected.remove("membership");
        assertThat(anonymous).isEqualTo(expected);
    }

    @Test
    void aPrivateRoomIsSummarisedOnlyForThoseWhoKnowIt(TestHomeserver hs) {
        TestClient alice = hs.registerUser("alice");
        TestClient bob = hs.registerUser("bob");
        TestClient eve = hs.registerUser("eve");
        String room = alice.createRoom(
                NODES.objectNode().put("preset", "private_chat").put("name", "Secret"));
        alice.invite(room, bob.userId()).expect(200);

        assertThat(bob.get(SUMMARY + encode(room))
                        .expect(200)
                        .json()
                        .get("membership")
                        .asText())
                .isEqualTo("invite");
        // not found, as an unknown room is, so that its existence is not told
        assertError(eve.get(SUMMARY + encode(room)), 404, "M_NOT_FOUND");
        assertError(hs.anonymous().get(SUMMARY + encode(room)), 404, "M_NOT_FOUND");
        assertError(alice.get(SUMMARY + encode("!unknown:test.local")), 404, "M_NOT_FOUND");
        assertError(alice.get(SUMMARY + encode("#unknown:test.local")), 404, "M_NOT_FOUND");
        assertError(alice.get(SUMMARY + "not-a-room"), 400, "M_INVALID_PARAM");
        assertError(alice.get(SUMMARY + encode(room) + "?via=not%20a%20server"), 400, "M_INVALID_PARAM");
    }

    @Test
    void mutualRoomsAreTheRoomsBothAreJoinedTo(TestHomeserver hs) {
        TestClient alice = hs.registerUser("alice");
        TestClient bob = hs.registerUser("bob");
        List<String> shared = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            String room = alice.createRoom(NODES.objectNode().put("preset", "public_chat"));
            bob.join(room).expect(200);
            shared.add(room);
        }
        alice.createRoom(NODES.objectNode().put("preset", "public_chat"));
        String left = alice.createRoom(NODES.objectNode().put("preset", "public_chat"));
        bob.join(left).expect(200);
        bob.leave(left).expect(200);

        JsonNode answer = alice.get(MUTUAL + encode(bob.userId())).expect(200).json();
        List<String> joined = new ArrayList<>();
        answer.get("joined").forEach(r -> joined.add(r.asText()));
        assertThat(joined).containsExactlyInAnyOrderElementsOf(shared);
        assertThat(answer.get("count").asInt()).isEqualTo(3);
        assertThat(answer.has("next_batch")).isFalse();

        JsonNode nobody =
                alice.get(MUTUAL + encode("@nobody:test.local")).expect(200).json();
        assertThat(nobody.get("joined")).isEmpty();
        assertError(alice.get(MUTUAL + encode(alice.userId())), 400, "M_INVALID_PARAM");
        assertError(alice.get("/_matrix/client/v1/mutual_rooms"), 400, "M_INVALID_PARAM");
        assertError(alice.get(MUTUAL + "bob"), 400, "M_INVALID_PARAM");
        assertError(alice.get(MUTUAL + encode(bob.userId()) + "&from=%21%21"), 400, "M_INVALID_PARAM");
        assertError(hs.anonymous().get(MUTUAL + encode(bob.userId())), 401, "M_MISSING_TOKEN");
    }
}
