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
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Joins of rooms with the {@code restricted} and {@code knock_restricted} join rules, on one server. */
@ExtendWith(HomeserverExtension.class)
class RestrictedJoinApiTest {
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    private static final String V3 = "/_matrix/client/v3";

    /** A room of {@code version} with join rule {@code rule} allowing members of {@code allowed}. */
    static String restrictedRoom(TestClient creator, String version, String rule, String allowed) {
        ObjectNode body = NODES.objectNode().put("room_version", version);
        ObjectNode content = body.putArray("initial_state")
                .addObject()
                .put("type", "m.room.join_rules")
                .put("state_key", "")
                .putObject("content")
                .put("join_rule", rule);
        ArrayNode allow = content.putArray("allow");
        allow.addObject().put("type", "m.room_membership").put("room_id", allowed);
        return creator.createRoom(body);
    }

    static String publicRoom(TestClient creator) {
        return creator.createRoom(NODES.objectNode().put("preset", "public_chat"));
    }

    private static JsonNode member(TestClient reader, String room, String user) {
        return reader.get(V3 + "/rooms/" + encode(room) + "/state/m.room.member/" + encode(user))
                .expect(200)
                .json();
    }

    @ParameterizedTest
    @ValueSource(strings = {"8", "9", "10", "11", "12"})
    void aMemberOfAnAllowedRoomJoinsAuthorisedByAUserWhoCanInvite(String version, TestHomeserver hs) {
        TestClient alice = hs.registerUser("alice");
        TestClient bob = hs.registerUser("bob");
        String space = publicRoom(alice);
        String room = restrictedRoom(alice, version, "restricted", space);
        bob.join(space).expect(200);

        bob.join(room).expect(200);

        JsonNode join = member(alice, room, bob.userId());
        assertThat(join.path("membership").asText()).isEqualTo("join");
        assertThat(join.path("join_authorised_via_users_server").asText()).isEqualTo(alice.userId());
    }

    @Test
    void aUserInNoAllowedRoomIsRefused(TestHomeserver hs) {
        TestClient alice = hs.registerUser("alice");
        TestClient bob = hs.registerUser("bob");
        String space = publicRoom(alice);
        String room = restrictedRoom(alice, "8", "restricted", space);
        String unknownAllowed = restrictedRoom(alice, "8", "restricted", "!gone:elsewhere.example");

        TestResponse refused = bob.join(room).expect(403);
        assertThat(refused.errcode()).isEqualTo("M_FORBIDDEN");
        assertThat(refused.json().path("error").asText()).contains("required");
        assertThat(bob.join(unknownAllowed).expect(403).errcode()).isEqualTo("M_FORBIDDEN");
        // an invite lets the user in without any allowed room
        alice.invite(room, bob.userId()).expect(200);
        bob.join(room).expect(200);
        assertThat(member(alice, room, bob.userId()).has("join_authorised_via_users_server"))
                .isFalse();
    }

    @Test
    void aKnockRestrictedRoomLetsMembersOfAllowedRoomsJoinAndOthersKnock(TestHomeserver hs) {
        TestClient alice = hs.registerUser("alice");
        TestClient bob = hs.registerUser("bob");
        TestClient carol = hs.registerUser("carol");
        String space = publicRoom(alice);
        String room = restrictedRoom(alice, "10", "knock_restricted", space);
        bob.join(space).expect(200);

        bob.join(room).expect(200);
        assertThat(carol.join(room).expect(403).errcode()).isEqualTo("M_FORBIDDEN");
        KnockApiTest.knock(carol, room, null).expect(200);

        assertThat(member(alice, room, bob.userId()).path("membership").asText())
                .isEqualTo("join");
        assertThat(member(alice, room, carol.userId()).path("membership").asText())
                .isEqualTo("knock");
    }

    @Test
    void withoutALocalUserWhoCanInviteTheJoinCannotBeAuthorised(TestHomeserver hs) {
        TestClient alice = hs.registerUser("alice");
        TestClient bob = hs.registerUser("bob");
        String space = publicRoom(alice);
        String room = restrictedRoom(alice, "9", "restricted", space);
        bob.join(space).expect(200);
        // alice gives up her power: nobody in the room can invite any more
        ObjectNode levels = (ObjectNode) alice.get(V3 + "/rooms/" + encode(room) + "/state/m.room.power_levels/")
                .expect(200)
                .json();
        ((ObjectNode) levels.get("users")).put(alice.userId(), 0);
        levels.put("invite", 50);
        alice.put(V3 + "/rooms/" + encode(room) + "/state/m.room.power_levels/", levels)
                .expect(200);

        TestResponse refused = bob.join(room).expect(403);

        assertThat(refused.errcode()).isEqualTo("M_FORBIDDEN");
        assertThat(refused.json().path("error").asText()).contains("authorise");
    }

    @Test
    void theRestrictedRuleIsIgnoredInVersionsBeforeIt(TestHomeserver hs) {
        TestClient alice = hs.registerUser("alice");
        TestClient bob = hs.registerUser("bob");
        String space = publicRoom(alice);
        String room = restrictedRoom(alice, "7", "restricted", space);
        bob.join(space).expect(200);

        // version 7 does not know the rule: no join rule that lets anyone in
        assertThat(bob.join(room).expect(403).errcode()).isEqualTo("M_FORBIDDEN");
    }
}
