package dev.myelin.server.api;

import static dev.myelin.server.api.AdminRoomsApiTest.NODES;
import static dev.myelin.server.api.AdminRoomsApiTest.ROOMS;
import static dev.myelin.server.api.AdminRoomsApiTest.asAdmin;
import static dev.myelin.testing.TestClient.encode;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.myelin.core.id.RoomId;
import dev.myelin.testing.HomeserverExtension;
import dev.myelin.testing.TestClient;
import dev.myelin.testing.TestHomeserver;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Synapse's purge history API: a room's timeline before an event or a time is deleted in the
 * background; its state, its latest event and (unless asked) its local users' events stay, and the
 * room goes on being served.
 */
@ExtendWith(HomeserverExtension.class)
class AdminPurgeHistoryApiTest {
    private static final String PURGE = "/_synapse/admin/v1/purge_history/";

    private static JsonNode awaitPurge(TestHomeserver hs, String admin, String purgeId) throws InterruptedException {
        return AdminRoomDeletionApiTest.awaitStatus(hs, admin, "/_synapse/admin/v1/purge_history_status/" + purgeId);
    }

    /** The bodies of the room's messages, oldest first, as an admin pages them. */
    private static List<String> bodies(TestHomeserver hs, String admin, String room) {
        JsonNode page = asAdmin(hs, admin, ROOMS + "/" + encode(room) + "/messages?dir=f&limit=1000", 200);
        List<String> out = new ArrayList<>();
        page.path("chunk").forEach(e -> {
            if (e.path("type").asText().equals("m.room.message")) {
                out.add(e.path("content").path("body").asText());
            }
        });
        return out;
    }

    @Test
    void historyBeforeAnEventOrATimeIsPurgedAndTheRoomGoesOn(TestHomeserver hs) throws Exception {
        String admin = WhoisApiTest.registerAdmin(hs);
        TestClient alice = hs.registerUser("alice");
        String room = alice.createRoom(NODES.objectNode().put("name", "Old"));
        for (int i = 0; i < 30; i++) {
            alice.sendMessage(room, "old " + i);
        }
        alice.sendState(room, "m.room.topic", "", NODES.objectNode().put("topic", "kept"));
        hs.clock().advance(Duration.ofMinutes(5));
        long cut = hs.clock().now().toEpochMilli();
        for (int i = 0; i < 5; i++) {
            alice.sendMessage(room, "middle " + i);
        }
        String mark = alice.sendMessage(room, "mark");
        alice.sendMessage(room, "new");

        // by default the events of local users are kept, but leave the timeline (as outliers)
        String keepLocal = hs.request(
                        "POST", PURGE + encode(room), NODES.objectNode().put("purge_up_to_ts", cut), admin)
                .expect(200)
                .json()
                .path("purge_id")
                .asText();
        assertThat(awaitPurge(hs, admin, keepLocal))
                .isEqualTo(NODES.objectNode().put("status", "complete"));
        assertThat(bodies(hs, admin, room))
                .containsExactly("middle 0", "middle 1", "middle 2", "middle 3", "middle 4", "mark", "new");
        assertThat(hs.homeserver().testSeam().roomRows(RoomId.parse(room)).get("events"))
                .as("the hidden events are still stored")
                .isGreaterThan(40);

        String byTime = hs.request(
                        "POST",
                        PURGE + encode(room),
                        NODES.objectNode().put("purge_up_to_ts", cut).put("delete_local_events", true),
                        admin)
                .expect(200)
                .json()
                .path("purge_id")
                .asText();
        assertThat(awaitPurge(hs, admin, byTime).path("status").asText()).isEqualTo("complete");
        assertThat(bodies(hs, admin, room))
                .containsExactly("middle 0", "middle 1", "middle 2", "middle 3", "middle 4", "mark", "new");

        // the event in the path: everything before it goes, the event itself stays
        String byEvent = hs.request(
                        "POST",
                        PURGE + encode(room) + "/" + encode(mark),
                        NODES.objectNode().put("delete_local_events", true),
                        admin)
                .expect(200)
                .json()
                .path("purge_id")
                .asText();
        assertThat(awaitPurge(hs, admin, byEvent).path("status").asText()).isEqualTo("complete");
        assertThat(bodies(hs, admin, room)).containsExactly("mark", "new");

        // a point past the end keeps the latest event
        String all = hs.request(
                        "POST",
                        PURGE + encode(room),
                        NODES.objectNode()
                                .put("purge_up_to_ts", cut + Duration.ofDays(1).toMillis())
                                .put("delete_local_events", true),
                        admin)
                .expect(200)
                .json()
                .path("purge_id")
                .asText();
        assertThat(awaitPurge(hs, admin, all).path("status").asText()).isEqualTo("complete");
        assertThat(bodies(hs, admin, room)).containsExactly("new");

        // the state is whole, and the room is served as before
        JsonNode state = asAdmin(hs, admin, ROOMS + "/" + encode(room) + "/state", 200);
        assertThat(state.toString()).contains("\"topic\":\"kept\"", "\"name\":\"Old\"");
        alice.sync();
        alice.sendMessage(room, "after");
        List<String> latest = new ArrayList<>();
        alice.messages(room, 50)
                .forEach(e -> latest.add(e.content().path("body").asText()));
        assertThat(latest).contains("after", "new").doesNotContain("mark", "old 0");
        assertThat(asAdmin(hs, admin, ROOMS + "/" + encode(room), 200)
                        .path("name")
                        .asText())
                .isEqualTo("Old");
    }

    @Test
    void othersUnknownRoomsAndBadInputAreRefused(TestHomeserver hs) {
        String admin = WhoisApiTest.registerAdmin(hs);
        TestClient alice = hs.registerUser("alice");
        String room = alice.createRoom(null);
        String event = alice.sendMessage(room, "one");
        String other = alice.createRoom(null);
        String otherEvent = alice.sendMessage(other, "elsewhere");
        var body = NODES.objectNode().put("purge_up_to_ts", 1);

        assertThat(alice.post(PURGE + encode(room), body).expect(403).errcode()).isEqualTo("M_FORBIDDEN");
        assertThat(alice.get("/_synapse/admin/v1/purge_history_status/x")
                        .expect(403)
                        .errcode())
                .isEqualTo("M_FORBIDDEN");
        assertThat(hs.request("POST", PURGE + encode("!nothing:" + hs.serverName()), body, admin)
                        .expect(404)
                        .errcode())
                .isEqualTo("M_NOT_FOUND");
        assertThat(hs.request("POST", PURGE + encode(room) + "/" + encode("$unknown"), null, admin)
                        .expect(404)
                        .errcode())
                .isEqualTo("M_NOT_FOUND");
        assertThat(asAdmin(hs, admin, "/_synapse/admin/v1/purge_history_status/nope", 404)
                        .path("errcode")
                        .asText())
                .isEqualTo("M_NOT_FOUND");
        assertThat(hs.request("POST", PURGE + encode(room) + "/" + encode(otherEvent), null, admin)
                        .expect(400)
                        .errcode())
                .isEqualTo("M_INVALID_PARAM");
        assertThat(hs.request("POST", PURGE + encode(room), NODES.objectNode(), admin)
                        .expect(400)
                        .errcode())
                .isEqualTo("M_MISSING_PARAM");
        assertThat(hs.request("POST", PURGE + encode(room), NODES.objectNode().put("purge_up_to_ts", "soon"), admin)
                        .expect(400)
                        .errcode())
                .isEqualTo("M_BAD_JSON");
        assertThat(hs.request("POST", PURGE + encode(room), NODES.objectNode().put("purge_up_to_ts", -5), admin)
                        .expect(400)
                        .errcode())
                .isEqualTo("M_INVALID_PARAM");
        assertThat(hs.request(
                                "POST",
                                PURGE + encode(room),
                                NODES.objectNode().put("purge_up_to_event_id", "not-an-event"),
                                admin)
                        .expect(400)
                        .errcode())
                .isEqualTo("M_INVALID_PARAM");
        assertThat(hs.request("POST", PURGE + "not-a-room", body, admin)
                        .expect(400)
                        .errcode())
                .isEqualTo("M_INVALID_PARAM");
        assertThat(asAdmin(hs, admin, ROOMS + "/" + encode(room) + "/messages?limit=1", 200)
                        .path("chunk")
                        .get(0)
                        .path("event_id")
                        .asText())
                .isEqualTo(event);
    }
}
