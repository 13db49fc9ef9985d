package dev.myelin.server.api;

import static dev.myelin.server.api.AdminRoomsApiTest.NODES;
import static dev.myelin.server.api.AdminRoomsApiTest.ROOMS;
import static dev.myelin.server.api.AdminRoomsApiTest.asAdmin;
import static dev.myelin.testing.TestClient.encode;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.myelin.core.id.EventId;
import dev.myelin.core.id.RoomId;
import dev.myelin.testing.HomeserverExtension;
import dev.myelin.testing.TestClient;
import dev.myelin.testing.TestHomeserver;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Synapse's room admin API for taking over rooms and repairing them: make_room_admin and forward extremities. */
@ExtendWith(HomeserverExtension.class)
class AdminRoomModerationApiTest {
    private static JsonNode powerLevels(TestClient client, String room) {
        return client.get("/_matrix/client/v3/rooms/" + encode(room) + "/state/m.room.power_levels/")
                .expect(200)
                .json();
    }

    @Test
    void theRoomsAdminMakesAnotherLocalUserAdminAndJoinsThem(TestHomeserver hs) {
        String admin = WhoisApiTest.registerAdmin(hs);
        TestClient alice = hs.registerUser("alice");
        TestClient bob = hs.registerUser("bob");
        String room = alice.createRoom(NODES.objectNode().put("room_alias_name", "secret"));

        // bob is not in the invite-only room: alice invites him, he joins and gets her level
        hs.request(
                        "POST",
                        ROOMS + "/" + encode("#secret:" + hs.serverName()) + "/make_room_admin",
                        NODES.objectNode().put("user_id", bob.userId()),
                        admin)
                .expect(200);
        assertThat(powerLevels(bob, room).path("users").path(bob.userId()).asLong())
                .isEqualTo(100);
        assertThat(bob.get("/_matrix/client/v3/joined_rooms").expect(200).json().path("joined_rooms"))
                .isEqualTo(NODES.arrayNode().add(room));

        // without a body the calling admin is made admin
        hs.request("POST", ROOMS + "/" + encode(room) + "/make_room_admin", null, admin)
                .expect(200);
        assertThat(powerLevels(alice, room)
                        .path("users")
                        .path("@admin:" + hs.serverName())
                        .asLong())
                .isEqualTo(100);
    }

    @Test
    void makeRoomAdminRefusesOthersUnknownRoomsAndBadInput(TestHomeserver hs) {
        String admin = WhoisApiTest.registerAdmin(hs);
        TestClient alice = hs.registerUser("alice");
        TestClient bob = hs.registerUser("bob");
        String room = alice.createRoom(null);
        String path = ROOMS + "/" + encode(room) + "/make_room_admin";
        assertThat(bob.post(path, NODES.objectNode()).expect(403).errcode()).isEqualTo("M_FORBIDDEN");
        assertThat(hs.request(
                                "POST",
                                ROOMS + "/" + encode("!nothing:" + hs.serverName()) + "/make_room_admin",
                                NODES.objectNode(),
                                admin)
                        .expect(404)
                        .errcode())
                .isEqualTo("M_NOT_FOUND");
        assertThat(hs.request(
                                "POST",
                                ROOMS + "/" + encode("#nothing:" + hs.serverName()) + "/make_room_admin",
                                NODES.objectNode(),
                                admin)
                        .expect(404)
                        .errcode())
                .isEqualTo("M_NOT_FOUND");
        for (String user : new String[] {"bob", "@bob:elsewhere.example", "@ghost:" + hs.serverName()}) {
            assertThat(hs.request("POST", path, NODES.objectNode().put("user_id", user), admin)
                            .expect(400)
                            .errcode())
                    .as(user)
                    .isEqualTo("M_INVALID_PARAM");
        }
        assertThat(hs.request("POST", path, NODES.objectNode().put("user_id", 7), admin)
                        .expect(400)
                        .errcode())
                .isEqualTo("M_BAD_JSON");
        // once alice left, no local user may change the power levels
        alice.leave(room).expect(200);
        assertThat(hs.request("POST", path, NODES.objectNode(), admin)
                        .expect(400)
                        .errcode())
                .isEqualTo("M_INVALID_PARAM");
        assertThat(asAdmin(hs, admin, ROOMS + "/" + encode(room), 200)
                        .path("joined_members")
                        .asLong())
                .isZero();
    }

    @Test
    void adminsListAndTrimForwardExtremities(TestHomeserver hs) {
        String admin = WhoisApiTest.registerAdmin(hs);
        TestClient alice = hs.registerUser("alice");
        String room = alice.createRoom(NODES.objectNode().put("room_alias_name", "forked"));
        String older = alice.sendMessage(room, "one");
        String newest = alice.sendMessage(room, "two");
        // a fork: the older event is an extremity again, as when two servers sent at once
        hs.homeserver().testSeam().addForwardExtremity(RoomId.parse(room), EventId.parse(older));
        String path = ROOMS + "/" + encode(room) + "/forward_extremities";

        JsonNode listed = asAdmin(hs, admin, path, 200);
        assertThat(listed.path("count").asInt()).isEqualTo(2);
        JsonNode first = listed.path("results").get(0);
        assertThat(first.path("event_id").asText()).isEqualTo(newest);
        assertThat(first.path("state_group").asLong()).isPositive();
        assertThat(first.path("depth").asLong()).isPositive();
        assertThat(first.path("received_ts").asLong()).isPositive();
        assertThat(listed.path("results").get(1).path("event_id").asText()).isEqualTo(older);
        assertThat(asAdmin(hs, admin, ROOMS + "/" + encode("#forked:" + hs.serverName()) + "/forward_extremities", 200)
                        .path("count")
                        .asInt())
                .isEqualTo(2);

        assertThat(hs.request("DELETE", path, null, admin).expect(200).json())
                .isEqualTo(NODES.objectNode().put("deleted", 1));
        JsonNode trimmed = asAdmin(hs, admin, path, 200);
        assertThat(trimmed.path("count").asInt()).isEqualTo(1);
        assertThat(trimmed.path("results").get(0).path("event_id").asText()).isEqualTo(newest);
        assertThat(hs.request("DELETE", path, null, admin).expect(200).json())
                .isEqualTo(NODES.objectNode().put("deleted", 0));
        // the room goes on from the newest event
        String next = alice.sendMessage(room, "three");
        assertThat(asAdmin(hs, admin, path, 200)
                        .path("results")
                        .get(0)
                        .path("event_id")
                        .asText())
                .isEqualTo(next);

        assertThat(alice.get(path).expect(403).errcode()).isEqualTo("M_FORBIDDEN");
        assertThat(alice.request("DELETE", path, null).expect(403).errcode()).isEqualTo("M_FORBIDDEN");
        String unknown = ROOMS + "/" + encode("!nothing:" + hs.serverName()) + "/forward_extremities";
        assertThat(asAdmin(hs, admin, unknown, 404).path("errcode").asText()).isEqualTo("M_NOT_FOUND");
        assertThat(hs.request("DELETE", unknown, null, admin).expect(404).errcode())
                .isEqualTo("M_NOT_FOUND");
        assertThat(asAdmin(hs, admin, ROOMS + "/not-a-room/forward_extremities", 400)
                        .path("errcode")
                        .asText())
                .isEqualTo("M_INVALID_PARAM");
    }
}
