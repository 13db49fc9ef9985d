package dev.myelin.server.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.myelin.testing.HomeserverExtension;
import dev.myelin.testing.TestClient;
import dev.myelin.testing.TestHomeserver;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * An invitee sees the room as it was when they were invited ({@code invite_state}, stripped
 * state), not what members changed afterwards.
 *
 * @see <a href="https://spec.matrix.org/v1.19/client-server-api/#stripped-state">Stripped state</a>
 */
@ExtendWith(HomeserverExtension.class)
class InviteStateApiTest {
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    @Test
    void theInviteStateIsTheStateAtTheInviteAndLaterChangesStayHidden(TestHomeserver hs) {
        TestClient alice = hs.registerUser("alice");
        TestClient bob = hs.registerUser("bob");
        ObjectNode create = NODES.objectNode()
                .put("preset", "private_chat")
                .put("name", "Before")
                .put("topic", "before the invite")
                .put("room_alias_name", "snapshot");
        create.putArray("initial_state")
                .add(state("m.room.encryption", NODES.objectNode().put("algorithm", "m.megolm.v1.aes-sha2")))
                .add(state("m.room.avatar", NODES.objectNode().put("url", "mxc://test.local/before")));
        String room = alice.createRoom(create);
        alice.invite(room, bob.userId()).expect(200);

        alice.sendState(room, "m.room.topic", "", NODES.objectNode().put("topic", "after the invite"));
        alice.sendState(room, "m.room.name", "", NODES.objectNode().put("name", "After"));
        alice.sendState(room, "m.room.avatar", "", NODES.objectNode().put("url", "mxc://test.local/after"));
        alice.sendState(
                room,
                "m.room.member",
                alice.userId(),
                NODES.objectNode().put("membership", "join").put("displayname", "Renamed later"));

        JsonNode events = bob.sync(null, Map.of()).at("/rooms/invite").get(room).at("/invite_state/events");
        Map<String, JsonNode> byKey = new LinkedHashMap<>();
        events.forEach(
                e -> byKey.put(e.get("type").asText() + "|" + e.get("state_key").asText(), e.get("content")));
        assertThat(byKey.keySet())
                .containsExactly(
                        "m.room.create|",
                        "m.room.join_rules|",
                        "m.room.name|",
                        "m.room.avatar|",
                        "m.room.canonical_alias|",
                        "m.room.encryption|",
                        "m.room.topic|",
                        "m.room.member|" + alice.userId(),
                        "m.room.member|" + bob.userId());
        assertThat(byKey.get("m.room.name|").get("name").asText()).isEqualTo("Before");
        assertThat(byKey.get("m.room.topic|").get("topic").asText()).isEqualTo("before the invite");
        assertThat(byKey.get("m.room.avatar|").get("url").asText()).isEqualTo("mxc://test.local/before");
        assertThat(byKey.get("m.room.canonical_alias|").get("alias").asText()).isEqualTo("#snapshot:test.local");
        assertThat(byKey.get("m.room.join_rules|").get("join_rule").asText()).isEqualTo("invite");
        assertThat(byKey.get("m.room.encryption|").get("algorithm").asText()).isEqualTo("m.megolm.v1.aes-sha2");
        assertThat(byKey.get("m.room.member|" + alice.userId())
                        .get("membership")
                        .asText())
                .isEqualTo("join");
        assertThat(byKey.get("m.room.member|" + alice.userId())
                        .path("displayname")
                        .asText())
                .as("the inviter's membership as it was, not renamed")
                .isNotEqualTo("Renamed later");
        assertThat(byKey.get("m.room.member|" + bob.userId()).get("membership").asText())
                .isEqualTo("invite");
        assertThat(events.toString())
                .doesNotContain("after the invite", "After", "mxc://test.local/after", "Renamed later");
    }

    private static ObjectNode state(String type, ObjectNode content) {
        ObjectNode event = NODES.objectNode().put("type", type).put("state_key", "");
        event.set("content", content);
        return event;
    }
}
