package dev.myelin.server.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.myelin.testing.HomeserverExtension;
import dev.myelin.testing.OverrideConfig;
import dev.myelin.testing.TestClient;
import dev.myelin.testing.TestHomeserver;
import dev.myelin.testing.TestResponse;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(HomeserverExtension.class)
class CreateRoomApiTest {
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private static ObjectNode json(String text) throws Exception {
        return (ObjectNode) MAPPER.readTree(text.replace('\'', '"'));
    }

    private static JsonNode state(TestClient client, String room, String type, String stateKey) {
        return client.get("/_matrix/client/v3/rooms/" + TestClient.encode(room) + "/state/" + type + "/"
                        + TestClient.encode(stateKey))
                .expect(200)
                .json();
    }

    @Test
    void privateChatIsInviteOnlyWithSharedHistory(TestHomeserver hs) {
        TestClient alice = hs.registerUser("alice");
        String room = alice.createRoom(NODES.objectNode().put("preset", "private_chat"));
        assertThat(state(alice, room, "m.room.join_rules", "").get("join_rule").asText())
                .isEqualTo("invite");
        assertThat(state(alice, room, "m.room.history_visibility", "")
                        .get("history_visibility")
                        .asText())
                .isEqualTo("shared");
        assertThat(state(alice, room, "m.room.guest_access", "")
                        .get("guest_access")
                        .asText())
                .isEqualTo("can_join");
        JsonNode create = state(alice, room, "m.room.create", "");
        assertThat(create.get("room_version").asText()).isEqualTo("10");
        assertThat(create.get("creator").asText()).isEqualTo("@alice:test.local");
        JsonNode power = state(alice, room, "m.room.power_levels", "");
        assertThat(power.at("/users/@alice:test.local").asInt()).isEqualTo(100);
        assertThat(power.get("state_default").asInt()).isEqualTo(50);
        assertThat(power.get("events_default").asInt()).isZero();

        TestClient bob = hs.registerUser("bob");
        assertThat(bob.join(room).status()).isEqualTo(403);
    }

    @Test
    void publicChatIsJoinableAndListedWhenVisibilityIsPublic(TestHomeserver hs) {
        TestClient alice = hs.registerUser("alice");
        String room =
                alice.createRoom(NODES.objectNode().put("visibility", "public").put("name", "Lobby"));
        assertThat(state(alice, room, "m.room.join_rules", "").get("join_rule").asText())
                .isEqualTo("public");
        assertThat(alice.get("/_matrix/client/v3/rooms/" + TestClient.encode(room) + "/state/m.room.guest_access/")
                        .status())
                .as("no m.room.guest_access event: guests are forbidden without one")
                .isEqualTo(404);
        TestClient bob = hs.registerUser("bob");
        bob.join(room).expect(200);
        JsonNode directory =
                bob.get("/_matrix/client/v3/publicRooms").expect(200).json();
        assertThat(directory.at("/chunk/0/room_id").asText()).isEqualTo(room);
        assertThat(directory.at("/chunk/0/name").asText()).isEqualTo("Lobby");
        assertThat(directory.at("/chunk/0/num_joined_members").asInt()).isEqualTo(2);
    }

    @Test
    void trustedPrivateChatGivesInviteesFullPower(TestHomeserver hs) throws Exception {
        TestClient alice = hs.registerUser("alice");
        hs.registerUser("bob");
        String room = alice.createRoom(
                json("{'preset':'trusted_private_chat','invite':['@bob:test.local']," + "'is_direct':true}"));
        JsonNode power = state(alice, room, "m.room.power_levels", "");
        assertThat(power.at("/users/@bob:test.local").asInt()).isEqualTo(100);
        JsonNode invite = state(alice, room, "m.room.member", "@bob:test.local");
        assertThat(invite.get("membership").asText()).isEqualTo("invite");
        assertThat(invite.get("is_direct").asBoolean()).isTrue();
    }

    @Test
    void initialStateNameTopicAliasAndOverridesAreApplied(TestHomeserver hs) throws Exception {
        TestClient alice = hs.registerUser("alice");
        String room = alice.createRoom(json("{'name':'Named','topic':'About things','room_alias_name':'things',"
                + "'initial_state':[{'type':'m.room.history_visibility','content':{'history_visibility':'joined'}},"
                + "{'type':'org.example.custom','state_key':'k','content':{'x':1}},"
                + "{'type':'m.room.name','content':{'name':'overridden by name'}}],"
                + "'power_level_content_override':{'events_default':10},"
                + "'creation_content':{'m.federate':false}}"));
        assertThat(state(alice, room, "m.room.name", "").get("name").asText()).isEqualTo("Named");
        assertThat(state(alice, room, "m.room.topic", "").get("topic").asText()).isEqualTo("About things");
        assertThat(state(alice, room, "m.room.history_visibility", "")
                        .get("history_visibility")
                        .asText())
                .isEqualTo("joined");
        assertThat(state(alice, room, "org.example.custom", "k").get("x").asInt())
                .isEqualTo(1);
        assertThat(state(alice, room, "m.room.power_levels", "")
                        .get("events_default")
                        .asInt())
                .isEqualTo(10);
        assertThat(state(alice, room, "m.room.create", "").get("m.federate").asBoolean())
                .isFalse();
        assertThat(state(alice, room, "m.room.canonical_alias", "").get("alias").asText())
                .isEqualTo("#things:test.local");
        JsonNode resolved = alice.get("/_matrix/client/v3/directory/room/" + TestClient.encode("#things:test.local"))
                .expect(200)
                .json();
        assertThat(resolved.get("room_id").asText()).isEqualTo(room);

        TestResponse taken =
                alice.post("/_matrix/client/v3/createRoom", NODES.objectNode().put("room_alias_name", "things"));
        assertThat(taken.status()).isEqualTo(400);
        assertThat(taken.errcode()).isEqualTo("M_ROOM_IN_USE");
    }

    @Test
    void versionElevenRoomsHaveNoCreatorKey(TestHomeserver hs) {
        TestClient alice = hs.registerUser("alice");
        String room = alice.createRoom(NODES.objectNode().put("room_version", "11"));
        JsonNode create = state(alice, room, "m.room.create", "");
        assertThat(create.get("room_version").asText()).isEqualTo("11");
        assertThat(create.has("creator")).isFalse();
    }

    @Test
    void rejectsBadBodies(TestHomeserver hs) throws Exception {
        TestClient alice = hs.registerUser("alice");
        String path = "/_matrix/client/v3/createRoom";
        assertThat(alice.post(path, json("{'preset':'party'}")).errcode()).isEqualTo("M_INVALID_PARAM");
        assertThat(alice.post(path, json("{'visibility':'secret'}")).errcode()).isEqualTo("M_INVALID_PARAM");
        assertThat(alice.post(path, json("{'invite':'@bob:test.local'}")).errcode())
                .isEqualTo("M_BAD_JSON");
        assertThat(alice.post(path, json("{'invite':['not a user']}")).errcode())
                .isEqualTo("M_INVALID_PARAM");
        assertThat(alice.post(path, json("{'initial_state':[{'type':1}]}")).errcode())
                .isEqualTo("M_BAD_JSON");
        assertThat(alice.post(path, json("{'name':5}")).errcode()).isEqualTo("M_BAD_JSON");
        assertThat(alice.post(path, json("{'room_alias_name':'a:b'}")).errcode())
                .isEqualTo("M_INVALID_PARAM");
        assertThat(alice.post(path, json("{'room_version':'0'}")).errcode()).isEqualTo("M_UNSUPPORTED_ROOM_VERSION");
        assertThat(alice.post(path, "[1,2]").errcode()).isEqualTo("M_BAD_JSON");
        assertThat(hs.anonymous().post(path, NODES.objectNode()).errcode()).isEqualTo("M_MISSING_TOKEN");
        assertThat(alice.get("/_matrix/client/v3/joined_rooms").json().get("joined_rooms"))
                .isEmpty();
    }

    @Test
    @OverrideConfig(key = "rc_message", value = "{per_second: 0.1, burst_count: 2}")
    void sendingIsRateLimited(TestHomeserver hs) {
        TestClient alice = hs.registerUser("alice");
        String room = alice.createRoom(null);
        alice.sendMessage(room, "one");
        alice.sendMessage(room, "two");
        TestResponse limited = alice.put(
                "/_matrix/client/v3/rooms/" + TestClient.encode(room) + "/send/m.room.message/third",
                NODES.objectNode().put("msgtype", "m.text").put("body", "three"));
        assertThat(limited.status()).isEqualTo(429);
        assertThat(limited.errcode()).isEqualTo("M_LIMIT_EXCEEDED");
        assertThat(limited.json().get("retry_after_ms").asLong()).isPositive();
        hs.clock()
                .advance(java.time.Duration.ofMillis(
                        limited.json().get("retry_after_ms").asLong()));
        alice.sendMessage(room, "three");
    }

    @Test
    void createRoomRejectsMoreBadBodies(TestHomeserver hs) throws Exception {
        TestClient alice = hs.registerUser("alice");
        String path = "/_matrix/client/v3/createRoom";
        assertThat(alice.post(path, json("{'initial_state':[{'type':'m.room.topic'}]}"))
                        .errcode())
                .isEqualTo("M_BAD_JSON");
        assertThat(alice.post(path, json("{'initial_state':[{'type':'m.room.topic','content':'x'}]}"))
                        .errcode())
                .isEqualTo("M_BAD_JSON");
        assertThat(alice.post(path, json("{'initial_state':{}}")).errcode()).isEqualTo("M_BAD_JSON");
        assertThat(alice.post(path, json("{'is_direct':'yes'}")).errcode()).isEqualTo("M_BAD_JSON");
        assertThat(alice.post(path, json("{'creation_content':3}")).errcode()).isEqualTo("M_BAD_JSON");
        assertThat(alice.post(path, json("{'power_level_content_override':[]}")).errcode())
                .isEqualTo("M_BAD_JSON");
        assertThat(alice.post(path, json("{'invite':[5]}")).errcode()).isEqualTo("M_BAD_JSON");
        assertThat(alice.post(path, json("{'room_alias_name':''}")).errcode()).isEqualTo("M_INVALID_PARAM");
        assertThat(alice.post(path, json("{'room_version':5}")).errcode()).isEqualTo("M_BAD_JSON");
        TestResponse notJson = alice.post(path, "{nope");
        assertThat(notJson.status()).isEqualTo(400);
        assertThat(notJson.errcode()).isEqualTo("M_NOT_JSON");
    }
}
