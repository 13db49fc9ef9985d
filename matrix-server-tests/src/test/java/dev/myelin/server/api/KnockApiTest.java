package dev.myelin.server.api;

import static dev.myelin.testing.TestClient.encode;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.myelin.testing.HomeserverExtension;
import dev.myelin.testing.TestClient;
import dev.myelin.testing.TestHomeserver;
import dev.myelin.testing.TestResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** {@code POST /knock/{roomIdOrAlias}} on rooms of this server, the knock in /sync, and its answers. */
@ExtendWith(HomeserverExtension.class)
class KnockApiTest {
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    private static final String V3 = "/_matrix/client/v3";

    /** A room of {@code version} whose join rule is {@code rule}, with a name and an alias. */
    static String roomWithRule(TestClient creator, String version, String rule, String alias) {
        ObjectNode body = NODES.objectNode().put("room_version", version).put("name", "Knock here");
        if (alias != null) {
            body.put("room_alias_name", alias);
        }
        ArrayNode initial = body.putArray("initial_state");
        initial.addObject()
                .put("type", "m.room.join_rules")
                .put("state_key", "")
                .putObject("content")
                .put("join_rule", rule);
        return creator.createRoom(body);
    }

    static TestResponse knock(TestClient client, String roomIdOrAlias, String reason) {
        ObjectNode body = NODES.objectNode();
        if (reason != null) {
            body.put("reason", reason);
        }
        return client.post(V3 + "/knock/" + encode(roomIdOrAlias), body);
    }

    private static String membership(TestClient reader, String room, String user) {
        return reader.get(V3 + "/rooms/" + encode(room) + "/state/m.room.member/" + encode(user))
                .expect(200)
                .json()
                .path("membership")
                .asText();
    }

    private static JsonNode rooms(TestClient client) {
        return client.sync(null, Map.of("timeout", "0")).path("rooms");
    }

    private static List<String> types(JsonNode events) {
        List<String> out = new ArrayList<>();
        events.forEach(e -> out.add(e.path("type").asText()));
        return out;
    }

    @Test
    void aKnockShowsInSyncWithStrippedStateAndAnInviteAnswersIt(TestHomeserver hs) {
        TestClient alice = hs.registerUser("alice");
        TestClient bob = hs.registerUser("bob");
        String room = roomWithRule(alice, "10", "knock", "knocking");

        JsonNode answer = knock(bob, "#knocking:" + hs.serverName(), "let me in")
                .expect(200)
                .json();

        assertThat(answer).isEqualTo(NODES.objectNode().put("room_id", room));
        assertThat(membership(alice, room, bob.userId())).isEqualTo("knock");
        JsonNode knocked = rooms(bob).path("knock").path(room);
        JsonNode stripped = knocked.path("knock_state").path("events");
        assertThat(types(stripped)).contains("m.room.create", "m.room.join_rules", "m.room.name", "m.room.member");
        JsonNode own = stripped.get(stripped.size() - 1);
        assertThat(own.path("state_key").asText()).isEqualTo(bob.userId());
        assertThat(own.path("content").path("membership").asText()).isEqualTo("knock");
        assertThat(own.path("content").path("reason").asText()).isEqualTo("let me in");
        // the knocker sees nothing of the room beyond the stripped state
        bob.get(V3 + "/rooms/" + encode(room) + "/messages").expect(403);

        alice.invite(room, bob.userId()).expect(200);

        JsonNode after = rooms(bob);
        assertThat(after.path("knock").has(room)).isFalse();
        assertThat(after.path("invite").has(room)).isTrue();
        bob.join(room).expect(200);
        assertThat(membership(alice, room, bob.userId())).isEqualTo("join");
    }

    @ParameterizedTest
    @ValueSource(strings = {"10", "11", "12"})
    void aKnockOnAKnockRestrictedRoomIsAllowedFromVersion10(String version, TestHomeserver hs) {
        TestClient alice = hs.registerUser("alice");
        TestClient bob = hs.registerUser("bob");
        String room = roomWithRule(alice, version, "knock_restricted", null);

        knock(bob, room, null).expect(200);

        assertThat(membership(alice, room, bob.userId())).isEqualTo("knock");
    }

    @ParameterizedTest
    @ValueSource(strings = {"7", "8", "9", "10", "11", "12"})
    void aKnockerRescindsByLeavingAndIsDeniedByAKick(String version, TestHomeserver hs) {
        TestClient alice = hs.registerUser("alice");
        TestClient bob = hs.registerUser("bob");
        TestClient carol = hs.registerUser("carol");
        String room = roomWithRule(alice, version, "knock", null);
        knock(bob, room, null).expect(200);
        knock(carol, room, null).expect(200);

        bob.leave(room).expect(200);
        alice.post(V3 + "/rooms/" + encode(room) + "/kick", NODES.objectNode().put("user_id", carol.userId()))
                .expect(200);

        assertThat(membership(alice, room, bob.userId())).isEqualTo("leave");
        assertThat(membership(alice, room, carol.userId())).isEqualTo("leave");
        JsonNode carolsRooms = rooms(carol);
        assertThat(carolsRooms.path("knock").has(room)).isFalse();
        // a knock can be made again after it was rescinded
        knock(bob, room, null).expect(200);
        assertThat(membership(alice, room, bob.userId())).isEqualTo("knock");
    }

    @Test
    void aRoomWhoseJoinRuleIsNotKnockRefusesKnocks(TestHomeserver hs) {
        TestClient alice = hs.registerUser("alice");
        TestClient bob = hs.registerUser("bob");
        String invite = roomWithRule(alice, "10", "invite", null);
        String open = roomWithRule(alice, "10", "public", null);
        String restricted = roomWithRule(alice, "10", "restricted", null);

        for (String room : List.of(invite, open, restricted)) {
            TestResponse refused = knock(bob, room, null).expect(403);
            assertThat(refused.errcode()).isEqualTo("M_FORBIDDEN");
            assertThat(refused.json().path("error").asText()).contains("not allowed to knock");
        }
    }

    @Test
    void aRoomVersionWithoutKnockingRefusesKnocksEvenWithAKnockJoinRule(TestHomeserver hs) {
        TestClient alice = hs.registerUser("alice");
        TestClient bob = hs.registerUser("bob");
        String room = roomWithRule(alice, "6", "knock", null);
        String knockRestrictedV9 = roomWithRule(alice, "9", "knock_restricted", null);

        TestResponse refused = knock(bob, room, null).expect(403);
        assertThat(refused.errcode()).isEqualTo("M_FORBIDDEN");
        assertThat(refused.json().path("error").asText()).contains("does not support knocking");
        assertThat(knock(bob, knockRestrictedV9, null).expect(403).errcode()).isEqualTo("M_FORBIDDEN");
    }

    @Test
    void bannedInvitedAndJoinedUsersCannotKnock(TestHomeserver hs) {
        TestClient alice = hs.registerUser("alice");
        TestClient bob = hs.registerUser("bob");
        TestClient carol = hs.registerUser("carol");
        String room = roomWithRule(alice, "10", "knock", null);
        alice.post(V3 + "/rooms/" + encode(room) + "/ban", NODES.objectNode().put("user_id", bob.userId()))
                .expect(200);
        alice.invite(room, carol.userId()).expect(200);

        assertThat(knock(bob, room, null).expect(403).json().path("error").asText())
                .contains("banned");
        assertThat(knock(carol, room, null).expect(403).json().path("error").asText())
                .contains("invited");
        assertThat(knock(alice, room, null).expect(403).json().path("error").asText())
                .contains("already in");
        assertThat(membership(alice, room, bob.userId())).isEqualTo("ban");
    }

    @Test
    void badTargetsAreMatrixErrors(TestHomeserver hs) {
        TestClient bob = hs.registerUser("bob");

        assertThat(knock(bob, "!unknown:" + hs.serverName(), null).expect(404).errcode())
                .isEqualTo("M_NOT_FOUND");
        assertThat(knock(bob, "#nowhere:" + hs.serverName(), null).expect(404).errcode())
                .isEqualTo("M_NOT_FOUND");
        assertThat(knock(bob, "not-a-room", null).expect(400).errcode()).isEqualTo("M_INVALID_PARAM");
        assertThat(bob.post(
                                V3 + "/knock/" + encode("!unknown:" + hs.serverName()) + "?via=bad%20name",
                                NODES.objectNode())
                        .expect(400)
                        .errcode())
                .isEqualTo("M_INVALID_PARAM");
        assertThat(hs.request("POST", V3 + "/knock/" + encode("!x:" + hs.serverName()), NODES.objectNode(), List.of())
                        .expect(401)
                        .errcode())
                .isEqualTo("M_MISSING_TOKEN");
    }
}
