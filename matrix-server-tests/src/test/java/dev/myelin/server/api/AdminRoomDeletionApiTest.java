package dev.myelin.server.api;

import static dev.myelin.server.api.AdminRoomsApiTest.NODES;
import static dev.myelin.server.api.AdminRoomsApiTest.ROOMS;
import static dev.myelin.server.api.AdminRoomsApiTest.asAdmin;
import static dev.myelin.server.api.AdminRoomsApiTest.roomIds;
import static dev.myelin.testing.TestClient.encode;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.myelin.core.id.RoomId;
import dev.myelin.core.id.UserId;
import dev.myelin.server.handler.room.EventRequest;
import dev.myelin.testing.HomeserverExtension;
import dev.myelin.testing.TestClient;
import dev.myelin.testing.TestHomeserver;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Synapse's delete room API, v2 (in the background, with a status) and v1 (at once): local users
 * leave (and are moved to a new room), aliases and the directory listing go, the room is blocked if
 * asked and purged from the database chunk by chunk while other rooms keep taking messages.
 */
@ExtendWith(HomeserverExtension.class)
@Timeout(value = 3, unit = TimeUnit.MINUTES)
class AdminRoomDeletionApiTest {
    private static final String V2 = "/_synapse/admin/v2/rooms/";

    /** Polls the deletion until it is over; returns its last status. */
    static JsonNode awaitStatus(TestHomeserver hs, String admin, String path) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
        while (true) {
            JsonNode status = asAdmin(hs, admin, path, 200);
            String s = status.path("status").asText();
            if (s.equals("complete") || s.equals("failed") || System.nanoTime() > deadline) {
                return status;
            }
            Thread.sleep(20);
        }
    }

    /** {@code count} messages in {@code room}, made as the send endpoint makes them, without HTTP round trips. */
    static void fill(TestHomeserver hs, TestClient sender, String room, int count) {
        for (int i = 0; i < count; i++) {
            hs.homeserver()
                    .testSeam()
                    .createEvent(EventRequest.message(
                            RoomId.parse(room),
                            UserId.parse(sender.userId()),
                            "m.room.message",
                            NODES.objectNode().put("msgtype", "m.text").put("body", "filler " + i)));
        }
    }

    @Test
    void aScheduledDeletionMovesTheUsersBlocksAndPurgesWhileAnotherRoomTakesMessages(TestHomeserver hs)
            throws Exception {
        String admin = WhoisApiTest.registerAdmin(hs);
        TestClient alice = hs.registerUser("alice");
        TestClient bob = hs.registerUser("bob");
        String doomed = alice.createRoom(NODES.objectNode()
                .put("preset", "public_chat")
                .put("visibility", "public")
                .put("room_alias_name", "doomed"));
        bob.join(doomed).expect(200);
        String lastSent = bob.sendMessage(doomed, "hello");
        bob.post(
                        "/_matrix/client/v3/rooms/" + encode(doomed) + "/receipt/m.read/" + encode(lastSent),
                        NODES.objectNode())
                .expect(200);
        fill(hs, alice, doomed, 3000);
        String kept = alice.createRoom(null);
        alice.sendMessage(kept, "before");
        // both have synced before: their next syncs are incremental across the deletion
        alice.sync();
        bob.sync();

        JsonNode scheduled = hs.request(
                        "DELETE",
                        V2 + encode(doomed),
                        NODES.objectNode()
                                .put("new_room_user_id", "@admin:" + hs.serverName())
                                .put("room_name", "Moved")
                                .put("message", "This room was closed")
                                .put("block", true),
                        admin)
                .expect(200)
                .json();
        String deleteId = scheduled.path("delete_id").asText();
        assertThat(deleteId).isNotEmpty();

        // the other room takes messages while the purge runs; each send must stay quick
        List<Long> latencies = new ArrayList<>();
        int sent = 0;
        while (!asAdmin(hs, admin, V2 + "delete_status/" + deleteId, 200)
                        .path("status")
                        .asText()
                        .matches("complete|failed")
                && sent < 2000) {
            long start = System.nanoTime();
            alice.sendMessage(kept, "during " + sent++);
            latencies.add(System.nanoTime() - start);
        }
        JsonNode status = awaitStatus(hs, admin, V2 + "delete_status/" + deleteId);
        assertThat(status.path("status").asText()).isEqualTo("complete");
        long maxMs = latencies.stream().mapToLong(n -> n / 1_000_000).max().orElse(0);
        System.out.printf("purged 3000+ events; %d sends in another room meanwhile, slowest %d ms%n", sent, maxMs);
        assertThat(maxMs).isLessThan(2000);

        JsonNode shutdown = status.path("shutdown_room");
        List<String> kicked = new ArrayList<>();
        shutdown.path("kicked_users").forEach(u -> kicked.add(u.asText()));
        assertThat(kicked).containsExactlyInAnyOrder(alice.userId(), bob.userId());
        assertThat(shutdown.path("failed_to_kick_users").size()).isZero();
        assertThat(shutdown.path("local_aliases")).isEqualTo(NODES.arrayNode().add("#doomed:" + hs.serverName()));
        String newRoom = shutdown.path("new_room_id").asText();
        JsonNode byRoom = asAdmin(hs, admin, V2 + encode(doomed) + "/delete_status", 200);
        assertThat(byRoom.path("results").get(0).path("delete_id").asText()).isEqualTo(deleteId);
        assertThat(byRoom.path("results").get(0).path("status").asText()).isEqualTo("complete");

        // nothing of the room is left; its users are in the new room, which tells them why
        assertThat(hs.homeserver().testSeam().roomRows(RoomId.parse(doomed))).isEmpty();
        assertThat(asAdmin(hs, admin, ROOMS + "/" + encode(doomed), 404)
                        .path("errcode")
                        .asText())
                .isEqualTo("M_NOT_FOUND");
        assertThat(roomIds(asAdmin(hs, admin, ROOMS, 200)))
                .doesNotContain(doomed)
                .contains(kept, newRoom);
        JsonNode joined = bob.get("/_matrix/client/v3/joined_rooms").expect(200).json();
        assertThat(joined.path("joined_rooms")).isEqualTo(NODES.arrayNode().add(newRoom));
        assertThat(asAdmin(hs, admin, ROOMS + "/" + encode(newRoom), 200)
                        .path("name")
                        .asText())
                .isEqualTo("Moved");
        List<String> bodies = new ArrayList<>();
        bob.messages(newRoom, 20)
                .forEach(e -> bodies.add(e.content().path("body").asText()));
        assertThat(bodies).contains("This room was closed");
        assertThat(bob.join(doomed).expect(403).errcode()).isEqualTo("M_FORBIDDEN");
        // the room's address now leads to the room that says why it is gone, as on Synapse
        assertThat(hs.anonymous()
                        .get("/_matrix/client/v3/directory/room/" + encode("#doomed:" + hs.serverName()))
                        .expect(200)
                        .json()
                        .path("room_id")
                        .asText())
                .isEqualTo(newRoom);
        assertThat(bob.put(
                                "/_matrix/client/v3/rooms/" + encode(newRoom) + "/send/m.room.message/late",
                                NODES.objectNode().put("msgtype", "m.text").put("body", "may I?"))
                        .expect(403)
                        .errcode())
                .isEqualTo("M_FORBIDDEN");
        JsonNode directory =
                hs.anonymous().get("/_matrix/client/v3/publicRooms").expect(200).json();
        assertThat(directory.path("chunk").toString()).doesNotContain(doomed);

        // the remaining rooms are served as before
        alice.sync();
        assertThat(bob.sync().json().path("rooms").path("join").has(newRoom)).isTrue();
        assertThat(bob.sync().json().path("rooms").path("join").has(doomed)).isFalse();
        List<String> keptBodies = new ArrayList<>();
        alice.messages(kept, 5)
                .forEach(e -> keptBodies.add(e.content().path("body").asText()));
        assertThat(keptBodies).hasSize(5);
        alice.sendMessage(kept, "after");
        assertThat(alice.messages(kept, 1).getFirst().content().path("body").asText())
                .isEqualTo("after");
    }

    @Test
    void theFirstApiDeletesAtOnceAndPurgeCanBeSkipped(TestHomeserver hs) {
        String admin = WhoisApiTest.registerAdmin(hs);
        TestClient alice = hs.registerUser("alice");
        String room = alice.createRoom(NODES.objectNode().put("room_alias_name", "first"));
        alice.sendMessage(room, "hi");

        JsonNode done = hs.request("DELETE", ROOMS + "/" + encode(room), NODES.objectNode(), admin)
                .expect(200)
                .json();
        ObjectNode expected = NODES.objectNode();
        expected.putArray("kicked_users").add(alice.userId());
        expected.putArray("failed_to_kick_users");
        expected.putArray("local_aliases").add("#first:" + hs.serverName());
        expected.putNull("new_room_id");
        assertThat(done).isEqualTo(expected);
        assertThat(hs.homeserver().testSeam().roomRows(RoomId.parse(room))).isEmpty();
        // not blocked: the room is just gone
        assertThat(asAdmin(hs, admin, ROOMS + "/" + encode(room) + "/block", 200)
                        .path("block")
                        .asBoolean())
                .isFalse();

        String kept = alice.createRoom(null);
        hs.request("DELETE", ROOMS + "/" + encode(kept), NODES.objectNode().put("purge", false), admin)
                .expect(200);
        // without purge the room stays in the database, without its members
        assertThat(asAdmin(hs, admin, ROOMS + "/" + encode(kept), 200)
                        .path("joined_members")
                        .asLong())
                .isZero();
        // no body at all is the same as {}
        hs.request("DELETE", ROOMS + "/" + encode(kept), null, admin).expect(200);
        assertThat(asAdmin(hs, admin, ROOMS + "/" + encode(kept), 404)
                        .path("errcode")
                        .asText())
                .isEqualTo("M_NOT_FOUND");
        alice.sync();
    }

    @Test
    void othersUnknownRoomsAndBadInputAreRefused(TestHomeserver hs) {
        String admin = WhoisApiTest.registerAdmin(hs);
        TestClient alice = hs.registerUser("alice");
        String room = alice.createRoom(null);
        assertThat(alice.request("DELETE", V2 + encode(room), NODES.objectNode())
                        .expect(403)
                        .errcode())
                .isEqualTo("M_FORBIDDEN");
        assertThat(alice.request("DELETE", ROOMS + "/" + encode(room), NODES.objectNode())
                        .expect(403)
                        .errcode())
                .isEqualTo("M_FORBIDDEN");
        assertThat(alice.get(V2 + encode(room) + "/delete_status").expect(403).errcode())
                .isEqualTo("M_FORBIDDEN");
        assertThat(alice.get(V2 + "delete_status/x").expect(403).errcode()).isEqualTo("M_FORBIDDEN");

        String unknown = encode("!nothing:" + hs.serverName());
        for (String path : List.of(V2 + unknown, ROOMS + "/" + unknown)) {
            assertThat(hs.request("DELETE", path, NODES.objectNode(), admin)
                            .expect(404)
                            .errcode())
                    .as(path)
                    .isEqualTo("M_NOT_FOUND");
        }
        assertThat(asAdmin(hs, admin, V2 + encode(room) + "/delete_status", 404)
                        .path("errcode")
                        .asText())
                .isEqualTo("M_NOT_FOUND");
        assertThat(asAdmin(hs, admin, V2 + "delete_status/nonexistent", 404)
                        .path("errcode")
                        .asText())
                .isEqualTo("M_NOT_FOUND");
        assertThat(hs.request("DELETE", V2 + "not-a-room", NODES.objectNode(), admin)
                        .expect(400)
                        .errcode())
                .isEqualTo("M_INVALID_PARAM");
        assertThat(hs.request("DELETE", V2 + encode(room), NODES.objectNode().put("new_room_user_id", "bob"), admin)
                        .expect(400)
                        .errcode())
                .isEqualTo("M_INVALID_PARAM");
        assertThat(hs.request(
                                "DELETE",
                                V2 + encode(room),
                                NODES.objectNode().put("new_room_user_id", "@ghost:" + hs.serverName()),
                                admin)
                        .expect(400)
                        .errcode())
                .isEqualTo("M_INVALID_PARAM");
        assertThat(hs.request("DELETE", V2 + encode(room), NODES.objectNode().put("block", "yes"), admin)
                        .expect(400)
                        .errcode())
                .isEqualTo("M_BAD_JSON");
        assertThat(hs.request("DELETE", V2 + encode(room), "[1]", admin)
                        .expect(400)
                        .errcode())
                .isIn("M_BAD_JSON", "M_NOT_JSON");
        // none of the refused requests touched the room
        assertThat(asAdmin(hs, admin, ROOMS + "/" + encode(room), 200)
                        .path("joined_members")
                        .asLong())
                .isEqualTo(1);
    }
}
