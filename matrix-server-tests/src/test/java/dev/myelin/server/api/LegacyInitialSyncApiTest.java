package dev.myelin.server.api;

import static dev.myelin.server.api.SyncApiTest.assertError;
import static dev.myelin.server.api.SyncApiTest.json;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.myelin.http.endpoint.EndpointCall;
import dev.myelin.http.endpoint.NoBody;
import dev.myelin.server.api.client.legacy.EventStreamEndpoint;
import dev.myelin.server.api.client.legacy.InitialSyncEndpoint;
import dev.myelin.server.api.client.legacy.RoomInitialSyncEndpoint;
import dev.myelin.server.handler.legacy.InitialSnapshot;
import dev.myelin.server.handler.legacy.RoomSnapshot;
import dev.myelin.testing.HomeserverExtension;
import dev.myelin.testing.TestClient;
import dev.myelin.testing.TestHomeserver;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The deprecated snapshots {@code GET /initialSync} and {@code GET /rooms/{roomId}/initialSync}. */
@ExtendWith(HomeserverExtension.class)
class LegacyInitialSyncApiTest {
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private static EndpointCall<NoBody, InitialSnapshot> initialSync(Map<String, String> query) {
        EndpointCall<NoBody, InitialSnapshot> call = EndpointCall.of(InitialSyncEndpoint.SPEC);
        for (Map.Entry<String, String> arg : query.entrySet()) {
            call = call.query(arg.getKey(), arg.getValue());
        }
        return call;
    }

    private static EndpointCall<NoBody, RoomSnapshot> roomSync(String room, Map<String, String> query) {
        EndpointCall<NoBody, RoomSnapshot> call = EndpointCall.of(RoomInitialSyncEndpoint.SPEC, room);
        for (Map.Entry<String, String> arg : query.entrySet()) {
            call = call.query(arg.getKey(), arg.getValue());
        }
        return call;
    }

    private static List<String> bodies(JsonNode chunk) {
        List<String> out = new ArrayList<>();
        chunk.forEach(e -> {
            if (e.get("type").asText().equals("m.room.message")) {
                out.add(e.at("/content/body").asText());
            }
        });
        return out;
    }

    private static JsonNode stateOf(JsonNode state, String type) {
        for (JsonNode e : state) {
            if (e.get("type").asText().equals(type)) {
                return e;
            }
        }
        throw new AssertionError("no " + type + " in " + state);
    }

    private static String tagsPath(TestClient user, String room, String tag) {
        return "/_matrix/client/v3/user/" + TestClient.encode(user.userId()) + "/rooms/" + TestClient.encode(room)
                + "/tags/" + tag;
    }

    @Test
    void showsJoinedAndInvitedRoomsWithMessagesStateAccountDataAndReceipts(TestHomeserver hs) {
        TestClient alice = hs.registerUser("alice");
        TestClient bob = hs.registerUser("bob");
        String joined = alice.createRoom(NODES.objectNode().put("preset", "public_chat"));
        alice.put(
                        "/_matrix/client/v3/directory/list/room/" + TestClient.encode(joined),
                        NODES.objectNode().put("visibility", "public"))
                .expect(200);
        String invitedTo = bob.createRoom(null);
        bob.invite(invitedTo, alice.userId()).expect(200);
        String last = "";
        for (int i = 1; i <= 3; i++) {
            last = alice.sendMessage(joined, "m" + i);
        }
        alice.post(
                        "/_matrix/client/v3/rooms/" + TestClient.encode(joined) + "/receipt/m.read/"
                                + TestClient.encode(last),
                        NODES.objectNode())
                .expect(200);
        String user = TestClient.encode(alice.userId());
        alice.put(
                        "/_matrix/client/v3/user/" + user + "/account_data/my.type",
                        NODES.objectNode().put("a", 1))
                .expect(200);
        alice.put(
                        "/_matrix/client/v3/user/" + user + "/rooms/" + TestClient.encode(joined)
                                + "/account_data/my.room.type",
                        NODES.objectNode().put("b", 2))
                .expect(200);
        alice.put(tagsPath(alice, joined, "work"), NODES.objectNode().put("order", 1))
                .expect(200);
        alice.put(tagsPath(alice, joined, "gone"), NODES.objectNode()).expect(200);
        alice.request("DELETE", tagsPath(alice, joined, "gone"), null).expect(200);

        InitialSnapshot snapshot = alice.send(initialSync(Map.of("limit", "2")));
        assertThat(snapshot.accountData()).isEqualTo(json("[{\"type\":\"my.type\",\"content\":{\"a\":1}}]"));
        assertThat(snapshot.rooms()).hasSize(2);
        RoomSnapshot room = snapshot.rooms().get(0);
        assertThat(room.roomId()).isEqualTo(joined);
        assertThat(room.membership()).isEqualTo("join");
        assertThat(room.visibility()).isEqualTo("public");
        assertThat(bodies(room.messages().chunk())).containsExactly("m2", "m3");
        assertThat(room.messages().chunk().get(0).get("room_id").asText()).isEqualTo(joined);
        assertThat(room.messages().chunk().get(0).get("user_id").asText()).isEqualTo(alice.userId());
        assertThat(stateOf(room.state(), "m.room.join_rules")
                        .at("/content/join_rule")
                        .asText())
                .isEqualTo("public");
        assertThat(room.accountData())
                .isEqualTo(json("[{\"type\":\"my.room.type\",\"content\":{\"b\":2}},"
                        + "{\"type\":\"m.tag\",\"content\":{\"tags\":{\"work\":{\"order\":1}}}}]"));
        assertThat(snapshot.receipts().get(0).get("room_id").asText()).isEqualTo(joined);
        assertThat(snapshot.receipts().get(0).at("/content").has(last)).isTrue();

        RoomSnapshot invite = snapshot.rooms().get(1);
        assertThat(invite.roomId()).isEqualTo(invitedTo);
        assertThat(invite.membership()).isEqualTo("invite");
        assertThat(invite.visibility()).isEqualTo("private");
        assertThat(invite.inviter()).isEqualTo(bob.userId());
        assertThat(invite.invite().at("/content/membership").asText()).isEqualTo("invite");
        assertThat(invite.messages()).isNull();

        // the messages' page-back token is a /messages token, the end a stream token for /events
        JsonNode earlier = alice.get(
                        "/_matrix/client/v3/rooms/" + TestClient.encode(joined) + "/messages?dir=b&limit=1&from="
                                + TestClient.encode(room.messages().start()))
                .expect(200)
                .json();
        assertThat(earlier.at("/chunk/0/content/body").asText()).isEqualTo("m1");
        alice.sendMessage(joined, "m4");
        JsonNode later = alice.call(EndpointCall.of(EventStreamEndpoint.SPEC)
                        .query("from", snapshot.end())
                        .query("timeout", "0"))
                .expect(200)
                .json();
        assertThat(bodies(later.get("chunk"))).containsExactly("m4");
    }

    @Test
    void aNewUsersInitialSyncShowsThemOnline(TestHomeserver hs) {
        TestClient alice = hs.registerUser("alice");
        JsonNode presence = alice.call(initialSync(Map.of())).expect(200).json().path("presence");
        assertThat(presence).hasSize(1);
        assertThat(presence.at("/0/content/user_id").asText()).isEqualTo(alice.userId());
        assertThat(presence.at("/0/content/presence").asText()).isEqualTo("online");
        assertThat(presence.at("/0/content").has("last_active_ago")).isTrue();
    }

    @Test
    void archivedRoomsShowWhatWasThereWhenTheUserLeft(TestHomeserver hs) {
        TestClient alice = hs.registerUser("alice");
        TestClient bob = hs.registerUser("bob");
        String room = bob.createRoom(NODES.objectNode().put("preset", "public_chat"));
        alice.join(room).expect(200);
        bob.sendState(room, "m.room.topic", "", NODES.objectNode().put("topic", "before"));
        bob.sendMessage(room, "before");
        alice.leave(room).expect(200);
        bob.sendState(room, "m.room.topic", "", NODES.objectNode().put("topic", "after"));
        bob.sendMessage(room, "after");

        assertThat(alice.send(initialSync(Map.of())).rooms())
                .as("left rooms only when archived")
                .isEmpty();
        InitialSnapshot archived = alice.send(initialSync(Map.of("archived", "true", "limit", "2")));
        assertThat(archived.rooms()).hasSize(1);
        RoomSnapshot left = archived.rooms().get(0);
        assertThat(left.membership()).isEqualTo("leave");
        assertThat(stateOf(left.state(), "m.room.topic").at("/content/topic").asText())
                .isEqualTo("before");
        assertThat(left.messages().chunk().get(0).at("/content/body").asText()).isEqualTo("before");
        assertThat(left.messages().chunk().get(1).at("/content/membership").asText())
                .isEqualTo("leave");

        RoomSnapshot single = alice.send(roomSync(room, Map.of("limit", "2")));
        assertThat(single.membership()).isEqualTo("leave");
        assertThat(stateOf(single.state(), "m.room.topic").at("/content/topic").asText())
                .isEqualTo("before");
        assertThat(bodies(single.messages().chunk())).containsExactly("before");
        assertThat(single.presence()).isEmpty();
        assertThat(single.receipts()).isEmpty();

        alice.post("/_matrix/client/v3/rooms/" + TestClient.encode(room) + "/forget", NODES.objectNode())
                .expect(200);
        assertThat(alice.send(initialSync(Map.of("archived", "true"))).rooms())
                .as("forgotten rooms are gone")
                .isEmpty();
    }

    @Test
    void roomSnapshotOfAJoinedRoomHasMembersPresenceAndReceipts(TestHomeserver hs) {
        TestClient alice = hs.registerUser("alice");
        String room = alice.createRoom(null);
        String message = alice.sendMessage(room, "hello");
        alice.post(
                        "/_matrix/client/v3/rooms/" + TestClient.encode(room) + "/receipt/m.read/"
                                + TestClient.encode(message),
                        NODES.objectNode())
                .expect(200);
        alice.put(
                        "/_matrix/client/v3/presence/" + TestClient.encode(alice.userId()) + "/status",
                        json("{\"presence\":\"online\",\"status_msg\":\"here\"}"))
                .expect(200);

        RoomSnapshot snapshot = alice.send(roomSync(room, Map.of()));
        assertThat(snapshot.roomId()).isEqualTo(room);
        assertThat(snapshot.membership()).isEqualTo("join");
        assertThat(bodies(snapshot.messages().chunk())).containsExactly("hello");
        assertThat(stateOf(snapshot.state(), "m.room.member").get("user_id").asText())
                .isEqualTo(alice.userId());
        assertThat(snapshot.presence())
                .isEqualTo(json("[{\"type\":\"m.presence\",\"sender\":\"@alice:test.local\",\"content\":{"
                        + "\"presence\":\"online\",\"last_active_ago\":0,\"currently_active\":true,"
                        + "\"status_msg\":\"here\",\"user_id\":\"@alice:test.local\"}}]"));
        assertThat(snapshot.receipts().get(0).at("/content").has(message)).isTrue();
        assertThat(snapshot.accountData()).isEmpty();

        RoomSnapshot none = alice.send(roomSync(room, Map.of("limit", "0")));
        assertThat(none.messages().chunk()).isEmpty();
        assertThat(none.messages().start()).isNotEmpty();
    }

    @Test
    void nonMembersMayOnlyPreviewWorldReadableRooms(TestHomeserver hs) {
        TestClient alice = hs.registerUser("alice");
        TestClient eve = hs.registerUser("eve");
        String room = alice.createRoom(null);
        alice.sendMessage(room, "private");
        assertError(eve.call(roomSync(room, Map.of())), 403, "M_FORBIDDEN");

        Memberships.state(
                hs,
                room,
                alice.userId(),
                "m.room.history_visibility",
                "",
                NODES.objectNode().put("history_visibility", "world_readable"));
        alice.sendMessage(room, "public");
        RoomSnapshot peek = eve.send(roomSync(room, Map.of()));
        assertThat(peek.membership())
                .as("a reader who is no member has no membership")
                .isNull();
        assertThat(peek.messages().chunk()).hasSize(2);
        assertThat(peek.messages().chunk().get(0).get("type").asText()).isEqualTo("m.room.history_visibility");
        assertThat(bodies(peek.messages().chunk())).containsExactly("public");
    }

    @Test
    void rejectsBadParameters(TestHomeserver hs) {
        TestClient alice = hs.registerUser("alice");
        String room = alice.createRoom(null);
        assertError(alice.call(initialSync(Map.of("limit", "hello"))), 400, "M_INVALID_PARAM");
        assertError(alice.call(initialSync(Map.of("limit", "-1"))), 400, "M_INVALID_PARAM");
        assertError(alice.call(initialSync(Map.of("archived", "maybe"))), 400, "M_INVALID_PARAM");
        assertError(alice.call(roomSync(room, Map.of("limit", "hello"))), 400, "M_INVALID_PARAM");
        assertError(alice.call(roomSync("not-a-room", Map.of())), 400, "M_INVALID_PARAM");
        assertError(alice.call(roomSync("!unknown:test.local", Map.of())), 404, "M_NOT_FOUND");
        assertError(hs.anonymous().call(initialSync(Map.of())), 401, "M_MISSING_TOKEN");
    }
}
