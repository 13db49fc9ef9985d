package dev.myelin.server.api;

import static dev.myelin.server.api.SyncApiTest.assertError;
import static dev.myelin.testing.TestClient.encode;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.myelin.testing.HomeserverExtension;
import dev.myelin.testing.TestClient;
import dev.myelin.testing.TestHomeserver;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** {@code POST /rooms/{roomId}/upgrade}: what the replacement room gets and what happens to the old one. */
@ExtendWith(HomeserverExtension.class)
class RoomUpgradeApiTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String V3 = "/_matrix/client/v3";

    private static ObjectNode json(String text) {
        try {
            return (ObjectNode) JSON.readTree(text);
        } catch (Exception e) {
            throw new IllegalArgumentException(e);
        }
    }

    private static String rooms(String room) {
        return V3 + "/rooms/" + encode(room);
    }

    private static String upgrade(TestClient client, String room, String version) {
        return client.post(rooms(room) + "/upgrade", json("{\"new_version\":\"" + version + "\"}"))
                .expect(200)
                .json()
                .get("replacement_room")
                .asText();
    }

    private static JsonNode state(TestClient client, String room, String type) {
        return client.get(rooms(room) + "/state/" + type + "/").expect(200).json();
    }

    @Test
    void thePredecessorOfTheNewRoomIsTheTombstoneOfTheOldOne(TestHomeserver hs) {
        TestClient alice = hs.registerUser("alice");
        String room = alice.createRoom(json("{\"room_version\":\"10\"}"));

        String replacement = upgrade(alice, room, "11");

        JsonNode tombstone = alice.get(rooms(room) + "/state/m.room.tombstone/?format=event")
                .expect(200)
                .json();
        assertThat(tombstone.at("/content/replacement_room").asText()).isEqualTo(replacement);
        JsonNode create = state(alice, replacement, "m.room.create");
        assertThat(create.get("predecessor"))
                .isEqualTo(json("{\"room_id\":\"" + room + "\",\"event_id\":\""
                        + tombstone.get("event_id").asText() + "\"}"));
        assertThat(create.get("room_version").asText()).isEqualTo("11");
    }

    @Test
    void anUpgradeToVersion12NamesTheOldRoomOnly(TestHomeserver hs) {
        TestClient alice = hs.registerUser("alice");
        String room = alice.createRoom(json("{\"room_version\":\"11\"}"));

        String replacement = upgrade(alice, room, "12");

        // the new room's id is its create event's hash, so its create event cannot name the tombstone
        assertThat(state(alice, replacement, "m.room.create").get("predecessor"))
                .isEqualTo(json("{\"room_id\":\"" + room + "\"}"));
        assertThat(state(alice, room, "m.room.tombstone")
                        .get("replacement_room")
                        .asText())
                .isEqualTo(replacement);
    }

    @Test
    void powerLevelsAboveOneHundredAndBansCarryOver(TestHomeserver hs) {
        TestClient alice = hs.registerUser("alice");
        String room = alice.createRoom(json(
                "{\"room_version\":\"10\",\"power_level_content_override\":{\"users\":{\"@alice:test.local\":500}}}"));
        alice.sendState(room, "m.room.member", "@mallory:elsewhere.example", json("{\"membership\":\"ban\"}"));

        String replacement = upgrade(alice, room, "11");

        assertThat(state(alice, replacement, "m.room.power_levels").get("users"))
                .isEqualTo(json("{\"@alice:test.local\":500}"));
        assertThat(alice.get(rooms(replacement) + "/state/m.room.member/" + encode("@mallory:elsewhere.example"))
                        .expect(200)
                        .json())
                .isEqualTo(json("{\"membership\":\"ban\"}"));
    }

    @Test
    void aModeratorWhoUpgradesKeepsTheirLevelInBothRooms(TestHomeserver hs) {
        TestClient alice = hs.registerUser("alice");
        TestClient bob = hs.registerUser("bob");
        String room = alice.createRoom(json("{\"room_version\":\"10\",\"preset\":\"public_chat\"}"));
        bob.join(room).expect(200);
        ObjectNode levels = state(alice, room, "m.room.power_levels").deepCopy();
        ((ObjectNode) levels.get("users")).put(bob.userId(), 50);
        ((ObjectNode) levels.get("events")).put("m.room.tombstone", 50);
        alice.sendState(room, "m.room.power_levels", "", levels);

        String replacement = upgrade(bob, room, "11");

        // bob held the level needed to copy the state while the room was made, then his own again
        assertThat(state(bob, replacement, "m.room.power_levels")).isEqualTo(levels);
        // he may not change power levels, so the old room could not be restricted
        assertThat(state(bob, room, "m.room.power_levels")).isEqualTo(levels);
    }

    @Test
    void aliasesAndTheCanonicalAliasMoveToTheNewRoom(TestHomeserver hs) {
        TestClient alice = hs.registerUser("alice");
        String room = alice.createRoom(json("{\"room_version\":\"10\",\"room_alias_name\":\"lobby\"}"));
        alice.put(V3 + "/directory/room/" + encode("#hall:test.local"), json("{\"room_id\":\"" + room + "\"}"))
                .expect(200);
        alice.sendState(
                room,
                "m.room.canonical_alias",
                "",
                json("{\"alias\":\"#lobby:test.local\",\"alt_aliases\":[\"#hall:test.local\"]}"));

        String replacement = upgrade(alice, room, "11");

        assertThat(state(alice, room, "m.room.canonical_alias")).isEqualTo(json("{}"));
        assertThat(state(alice, replacement, "m.room.canonical_alias"))
                .isEqualTo(json("{\"alias\":\"#lobby:test.local\",\"alt_aliases\":[\"#hall:test.local\"]}"));
        for (String alias : new String[] {"#lobby:test.local", "#hall:test.local"}) {
            assertThat(alice.get(V3 + "/directory/room/" + encode(alias))
                            .expect(200)
                            .json()
                            .get("room_id")
                            .asText())
                    .isEqualTo(replacement);
        }
    }

    @Test
    void tagsDirectRoomsAndPushRulesFollowTheRoom(TestHomeserver hs) {
        TestClient alice = hs.registerUser("alice");
        TestClient bob = hs.registerUser("bob");
        String room = alice.createRoom(json("{\"room_version\":\"10\",\"preset\":\"public_chat\"}"));
        bob.join(room).expect(200);
        String bobs = V3 + "/user/" + encode(bob.userId());
        bob.put(bobs + "/rooms/" + encode(room) + "/tags/u.work", json("{\"order\":0.5}"))
                .expect(200);
        bob.put(bobs + "/account_data/m.direct", json("{\"@alice:test.local\":[\"" + room + "\"]}"))
                .expect(200);
        bob.put(V3 + "/pushrules/global/room/" + encode(room), json("{\"actions\":[\"notify\"]}"))
                .expect(200);

        String replacement = upgrade(alice, room, "11");

        assertThat(bob.get(bobs + "/rooms/" + encode(replacement) + "/tags")
                        .expect(200)
                        .json())
                .isEqualTo(json("{\"tags\":{\"u.work\":{\"order\":0.5}}}"));
        assertThat(bob.get(bobs + "/account_data/m.direct").expect(200).json())
                .isEqualTo(json("{\"@alice:test.local\":[\"" + room + "\",\"" + replacement + "\"]}"));
        assertThat(bob.get(V3 + "/pushrules/global/room/" + encode(replacement))
                        .expect(200)
                        .json()
                        .get("actions"))
                .isEqualTo(JSON.createArrayNode().add("notify"));
    }

    @Test
    void tagsAreCopiedWhenAUserFirstJoinsTheNewRoom(TestHomeserver hs) {
        TestClient alice = hs.registerUser("alice");
        TestClient bob = hs.registerUser("bob");
        String room = alice.createRoom(json("{\"room_version\":\"10\",\"preset\":\"public_chat\"}"));
        bob.join(room).expect(200);
        bob.leave(room).expect(200);
        String bobs = V3 + "/user/" + encode(bob.userId());
        bob.put(bobs + "/rooms/" + encode(room) + "/tags/m.favourite", json("{}"))
                .expect(200);
        String replacement = upgrade(alice, room, "11");
        assertThat(bob.get(bobs + "/rooms/" + encode(replacement) + "/tags")
                        .expect(200)
                        .json())
                .as("bob was not in the room at the upgrade")
                .isEqualTo(json("{\"tags\":{}}"));

        bob.join(replacement).expect(200);

        assertThat(bob.get(bobs + "/rooms/" + encode(replacement) + "/tags")
                        .expect(200)
                        .json())
                .isEqualTo(json("{\"tags\":{\"m.favourite\":{}}}"));
    }

    @Test
    void aTombstoneCannotNameItsOwnRoom(TestHomeserver hs) {
        TestClient alice = hs.registerUser("alice");
        String room = alice.createRoom(null);
        ObjectNode self = json("{\"body\":\"moved\",\"replacement_room\":\"" + room + "\"}");

        assertError(alice.put(rooms(room) + "/send/m.room.tombstone/t1", self), 400, "M_BAD_JSON");
        assertError(alice.put(rooms(room) + "/state/m.room.tombstone/", self), 400, "M_BAD_JSON");
        alice.get(rooms(room) + "/state/m.room.tombstone/").expect(404);
    }
}
