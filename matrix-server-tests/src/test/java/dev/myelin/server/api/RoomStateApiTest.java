package dev.myelin.server.api;

import static dev.myelin.testing.TestClient.encode;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.myelin.testing.HomeserverExtension;
import dev.myelin.testing.TestClient;
import dev.myelin.testing.TestHomeserver;
import dev.myelin.testing.TestResponse;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(HomeserverExtension.class)
class RoomStateApiTest {
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    private static final String V3 = "/_matrix/client/v3";

    private static String rooms(String room) {
        return V3 + "/rooms/" + encode(room);
    }

    @Test
    void setsAndReadsStateWithAndWithoutAStateKey(TestHomeserver hs) {
        TestClient alice = hs.registerUser("alice");
        String room = alice.createRoom(null);

        String topicId = alice.put(
                        rooms(room) + "/state/m.room.topic", NODES.objectNode().put("topic", "plain"))
                .expect(200)
                .json()
                .get("event_id")
                .asText();
        alice.put(rooms(room) + "/state/m.room.name/", NODES.objectNode().put("name", "Room"))
                .expect(200);
        alice.sendState(room, "org.example.widget", "a/b", NODES.objectNode().put("x", 1));

        assertThat(alice.get(rooms(room) + "/state/m.room.topic").expect(200).json())
                .isEqualTo(NODES.objectNode().put("topic", "plain"));
        assertThat(alice.get(rooms(room) + "/state/m.room.name/").expect(200).json())
                .isEqualTo(NODES.objectNode().put("name", "Room"));
        assertThat(alice.get(rooms(room) + "/state/org.example.widget/" + encode("a/b"))
                        .expect(200)
                        .json())
                .isEqualTo(NODES.objectNode().put("x", 1));
        JsonNode full = alice.get(rooms(room) + "/state/m.room.topic/?format=event")
                .expect(200)
                .json();
        assertThat(full.get("event_id").asText()).isEqualTo(topicId);
        assertThat(full.get("type").asText()).isEqualTo("m.room.topic");
        assertThat(full.get("state_key").asText()).isEmpty();
        assertThat(full.get("sender").asText()).isEqualTo(alice.userId());
        assertThat(full.get("room_id").asText()).isEqualTo(room);
        assertThat(full.get("content")).isEqualTo(NODES.objectNode().put("topic", "plain"));
    }

    @Test
    void settingTheSameStateTwiceReturnsTheExistingEvent(TestHomeserver hs) {
        TestClient alice = hs.registerUser("alice");
        String room = alice.createRoom(null);
        String first =
                alice.sendState(room, "m.room.name", "", NODES.objectNode().put("name", "Same"));
        String second =
                alice.sendState(room, "m.room.name", "", NODES.objectNode().put("name", "Same"));
        String changed =
                alice.sendState(room, "m.room.name", "", NODES.objectNode().put("name", "Other"));
        assertThat(second).isEqualTo(first);
        assertThat(changed).isNotEqualTo(first);
    }

    @Test
    void missingStateIsNotFoundAndBadInputIsRejected(TestHomeserver hs) {
        TestClient alice = hs.registerUser("alice");
        String room = alice.createRoom(null);
        TestResponse missing = alice.get(rooms(room) + "/state/m.room.topic");
        assertThat(missing.status()).isEqualTo(404);
        assertThat(missing.errcode()).isEqualTo("M_NOT_FOUND");
        TestResponse format = alice.get(rooms(room) + "/state/m.room.create?format=xml");
        assertThat(format.status()).isEqualTo(400);
        assertThat(format.errcode()).isEqualTo("M_INVALID_PARAM");
        TestResponse notJson = alice.put(rooms(room) + "/state/m.room.topic", "{nope");
        assertThat(notJson.status()).isEqualTo(400);
        assertThat(notJson.errcode()).isEqualTo("M_NOT_JSON");
        TestResponse unknownRoom = alice.get(rooms("!nowhere:test.local") + "/state");
        assertThat(unknownRoom.status()).isEqualTo(404);
        assertThat(unknownRoom.errcode()).isEqualTo("M_NOT_FOUND");
    }

    @Test
    void stateNeedsPowerAndMembership(TestHomeserver hs) {
        TestClient alice = hs.registerUser("alice");
        TestClient bob = hs.registerUser("bob");
        String room = alice.createRoom(NODES.objectNode().put("preset", "public_chat"));
        TestResponse outsiderRead = bob.get(rooms(room) + "/state");
        assertThat(outsiderRead.status()).isEqualTo(403);
        assertThat(outsiderRead.errcode()).isEqualTo("M_FORBIDDEN");
        bob.join(room).expect(200);
        TestResponse weak =
                bob.put(rooms(room) + "/state/m.room.name", NODES.objectNode().put("name", "Mine"));
        assertThat(weak.status()).isEqualTo(403);
        assertThat(weak.errcode()).isEqualTo("M_FORBIDDEN");
        TestResponse othersMember = bob.put(
                rooms(room) + "/state/m.room.member/" + encode(alice.userId()),
                NODES.objectNode().put("membership", "join"));
        assertThat(othersMember.status()).isEqualTo(403);
        // a member event through /state follows the membership rules: changing one's own display name is fine
        bob.put(
                        rooms(room) + "/state/m.room.member/" + encode(bob.userId()),
                        NODES.objectNode().put("membership", "join").put("displayname", "B"))
                .expect(200);
        assertThat(alice.get(rooms(room) + "/joined_members")
                        .expect(200)
                        .json()
                        .at("/joined/" + bob.userId().replace("/", "~1")))
                .isEqualTo(NODES.objectNode().put("display_name", "B").putNull("avatar_url"));
    }

    @Test
    void fullStateIsTheCurrentStateInClientFormat(TestHomeserver hs) {
        TestClient alice = hs.registerUser("alice");
        String room = alice.createRoom(NODES.objectNode().put("name", "N"));
        JsonNode state = alice.get(rooms(room) + "/state").expect(200).json();
        List<String> keys = new ArrayList<>();
        state.forEach(
                e -> keys.add(e.get("type").asText() + "|" + e.get("state_key").asText()));
        assertThat(keys)
                .containsExactlyInAnyOrder(
                        "m.room.create|",
                        "m.room.member|" + alice.userId(),
                        "m.room.power_levels|",
                        "m.room.join_rules|",
                        "m.room.history_visibility|",
                        "m.room.guest_access|",
                        "m.room.name|");
        state.forEach(e -> assertThat(e.get("room_id").asText()).isEqualTo(room));
    }

    @Test
    void leftUsersSeeTheStateAsItWasWhenTheyLeft(TestHomeserver hs) {
        TestClient alice = hs.registerUser("alice");
        TestClient bob = hs.registerUser("bob");
        String room =
                alice.createRoom(NODES.objectNode().put("preset", "public_chat").put("name", "Before"));
        bob.join(room).expect(200);
        bob.post(rooms(room) + "/leave", NODES.objectNode()).expect(200);
        alice.sendState(room, "m.room.name", "", NODES.objectNode().put("name", "After"));

        assertThat(bob.get(rooms(room) + "/state/m.room.name").expect(200).json())
                .isEqualTo(NODES.objectNode().put("name", "Before"));
        JsonNode state = bob.get(rooms(room) + "/state").expect(200).json();
        List<String> names = new ArrayList<>();
        state.forEach(e -> {
            if (e.get("type").asText().equals("m.room.name")) {
                names.add(e.at("/content/name").asText());
            }
        });
        assertThat(names).containsExactly("Before");
    }

    @Test
    void membersCanBeFilteredAndReadAtAToken(TestHomeserver hs) {
        TestClient alice = hs.registerUser("alice");
        TestClient bob = hs.registerUser("bob");
        TestClient carol = hs.registerUser("carol");
        String room = alice.createRoom(NODES.objectNode().put("preset", "public_chat"));
        bob.join(room).expect(200);
        JsonNode page =
                alice.get(rooms(room) + "/messages?dir=b&limit=1").expect(200).json();
        String beforeCarol = page.get("start").asText();
        carol.join(room).expect(200);
        bob.post(rooms(room) + "/leave", NODES.objectNode()).expect(200);

        assertThat(members(alice, room, ""))
                .containsExactlyInAnyOrder(alice.userId() + "=join", bob.userId() + "=leave", carol.userId() + "=join");
        assertThat(members(alice, room, "?membership=join"))
                .containsExactlyInAnyOrder(alice.userId() + "=join", carol.userId() + "=join");
        assertThat(members(alice, room, "?not_membership=join")).containsExactly(bob.userId() + "=leave");
        assertThat(members(alice, room, "?at=" + encode(beforeCarol)))
                .containsExactlyInAnyOrder(alice.userId() + "=join", bob.userId() + "=join");
        TestResponse badToken = alice.get(rooms(room) + "/members?at=garbage");
        assertThat(badToken.status()).isEqualTo(400);
        assertThat(badToken.errcode()).isEqualTo("M_INVALID_PARAM");
        TestResponse badMembership = alice.get(rooms(room) + "/members?membership=joined");
        assertThat(badMembership.status()).isEqualTo(400);
        assertThat(badMembership.errcode()).isEqualTo("M_INVALID_PARAM");
        assertThat(hs.registerUser("dave").get(rooms(room) + "/members").status())
                .isEqualTo(403);
    }

    @Test
    void joinedMembersListsProfiles(TestHomeserver hs) {
        TestClient alice = hs.registerUser("alice");
        TestClient bob = hs.registerUser("bob");
        String room = alice.createRoom(NODES.objectNode().put("preset", "public_chat"));
        bob.join(room).expect(200);
        ObjectNode expected = NODES.objectNode();
        ObjectNode joined = expected.putObject("joined");
        joined.putObject(alice.userId()).put("display_name", "alice").putNull("avatar_url");
        joined.putObject(bob.userId()).put("display_name", "bob").putNull("avatar_url");
        assertThat(bob.get(rooms(room) + "/joined_members").expect(200).json()).isEqualTo(expected);
        assertThat(hs.registerUser("carol").get(rooms(room) + "/joined_members").errcode())
                .isEqualTo("M_FORBIDDEN");
    }

    private static List<String> members(TestClient client, String room, String query) {
        List<String> out = new ArrayList<>();
        client.get(rooms(room) + "/members" + query)
                .expect(200)
                .json()
                .get("chunk")
                .forEach(e -> out.add(e.get("state_key").asText() + "="
                        + e.at("/content/membership").asText()));
        return out;
    }
}
