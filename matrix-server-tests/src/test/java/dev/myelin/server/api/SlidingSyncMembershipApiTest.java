package dev.myelin.server.api;

import static dev.myelin.server.api.SlidingSyncApiTest.roomIds;
import static dev.myelin.server.api.SlidingSyncApiTest.slidingSync;
import static dev.myelin.server.api.SlidingSyncApiTest.sync;
import static dev.myelin.server.api.SyncApiTest.assertError;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.myelin.testing.HomeserverExtension;
import dev.myelin.testing.TestClient;
import dev.myelin.testing.TestHomeserver;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Sliding sync as the user's memberships and the request's room configs change along a connection. */
@ExtendWith(HomeserverExtension.class)
class SlidingSyncMembershipApiTest {
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    private static final String BODY = """
            {"lists":{"l":{"ranges":[[0,19]],"timeline_limit":5,
             "required_state":[["m.room.create",""],["m.room.member","$LAZY"]]}}}""";

    @Test
    void anAcceptedInviteIsSentWholeAgainAsAJoinedRoom(TestHomeserver hs) {
        TestClient alice = hs.registerUser("alice");
        TestClient bob = hs.registerUser("bob");
        String room = alice.createRoom(NODES.objectNode().put("name", "Party"));
        alice.invite(room, bob.userId()).expect(200);
        JsonNode invited = sync(bob, null, BODY);
        assertThat(invited.at("/rooms/" + room + "/membership").asText()).isEqualTo("invite");
        assertThat(invited.at("/rooms/" + room + "/name").asText()).isEqualTo("Party");

        bob.join(room).expect(200);
        JsonNode joined = sync(bob, invited.get("pos").asText(), BODY).at("/rooms/" + room);
        assertThat(joined.get("initial").asBoolean()).isTrue();
        assertThat(joined.get("membership").asText()).isEqualTo("join");
        assertThat(joined.get("joined_count").asInt()).isEqualTo(2);
        assertThat(SyncApiTest.keys(joined.get("required_state")))
                .contains("m.room.create|", "m.room.member|@bob:test.local");
    }

    @Test
    void aRejectedInviteIsSentAsTheLeaveAloneAndReceiptsStayWithMembers(TestHomeserver hs) {
        TestClient alice = hs.registerUser("alice");
        TestClient bob = hs.registerUser("bob");
        String room = alice.createRoom(NODES.objectNode().put("name", "Secret"));
        String message = alice.sendMessage(room, "members only");
        alice.invite(room, bob.userId()).expect(200);
        alice.post(
                        "/_matrix/client/v3/rooms/" + TestClient.encode(room) + "/receipt/m.read/"
                                + TestClient.encode(message),
                        NODES.objectNode())
                .expect(200);
        String body = """
                {"lists":{"l":{"ranges":[[0,9]],"timeline_limit":5,"required_state":[["*","*"]]}},
                 "extensions":{"receipts":{"enabled":true},"typing":{"enabled":true}}}""";
        JsonNode invited = sync(bob, null, body);
        assertThat(invited.at("/rooms/" + room + "/membership").asText()).isEqualTo("invite");
        assertThat(invited.at("/extensions/receipts/rooms"))
                .as("not a member yet")
                .isEmpty();

        bob.leave(room).expect(200);
        JsonNode rejected = sync(bob, invited.get("pos").asText(), body).at("/rooms/" + room);
        assertThat(rejected.get("membership").asText()).isEqualTo("leave");
        assertThat(rejected.get("required_state")).isEmpty();
        assertThat(rejected.get("timeline")).hasSize(1);
        assertThat(rejected.at("/timeline/0/sender").asText()).isEqualTo(bob.userId());
        assertThat(rejected.has("name")).isFalse();
    }

    @Test
    void aKickIsSentAndALeaveOnlyOnce(TestHomeserver hs) {
        TestClient alice = hs.registerUser("alice");
        TestClient bob = hs.registerUser("bob");
        String kicked = alice.createRoom(NODES.objectNode().put("preset", "public_chat"));
        String left = alice.createRoom(NODES.objectNode().put("preset", "public_chat"));
        bob.join(kicked).expect(200);
        bob.join(left).expect(200);
        JsonNode first = sync(bob, null, BODY);
        assertThat(roomIds(first)).containsExactlyInAnyOrder(kicked, left);

        alice.post(
                        "/_matrix/client/v3/rooms/" + TestClient.encode(kicked) + "/kick",
                        NODES.objectNode().put("user_id", bob.userId()))
                .expect(200);
        bob.leave(left).expect(200);
        JsonNode next = sync(bob, first.get("pos").asText(), BODY);
        assertThat(next.at("/rooms/" + kicked + "/membership").asText()).isEqualTo("leave");
        assertThat(next.at("/rooms/" + left + "/membership").asText()).isEqualTo("leave");
        assertThat(next.at("/rooms/" + left + "/timeline/0/content/membership").asText())
                .isEqualTo("leave");
        assertThat(next.at("/lists/l/count").asInt()).isEqualTo(2);

        JsonNode after = sync(bob, next.get("pos").asText(), BODY);
        assertThat(after.get("rooms")).isEmpty();
        assertThat(after.at("/lists/l/count").asInt())
                .as("the kicked room stays listed")
                .isEqualTo(1);
        // a new connection lists the kick, not the room bob left himself
        assertThat(roomIds(sync(bob, null, BODY))).containsExactly(kicked);
    }

    @Test
    void lazyMembersAreSentOncePerConnection(TestHomeserver hs) {
        TestClient alice = hs.registerUser("alice");
        TestClient bob = hs.registerUser("bob");
        TestClient carol = hs.registerUser("carol");
        String room = alice.createRoom(NODES.objectNode().put("preset", "public_chat"));
        bob.join(room).expect(200);
        carol.join(room).expect(200);
        bob.sendMessage(room, "bob speaks");
        String body = """
                {"lists":{"l":{"ranges":[[0,0]],"timeline_limit":1,
                 "required_state":[["m.room.member","$LAZY"]]}}}""";
        JsonNode first = sync(alice, null, body);
        assertThat(SyncApiTest.keys(first.at("/rooms/" + room + "/required_state")))
                .containsExactly("m.room.member|@bob:test.local");

        bob.sendMessage(room, "bob again");
        carol.sendMessage(room, "carol too");
        JsonNode next = sync(alice, first.get("pos").asText(), body);
        assertThat(next.at("/rooms/" + room + "/limited").asBoolean()).isTrue();
        assertThat(SyncApiTest.keys(next.at("/rooms/" + room + "/required_state")))
                .as("carol is new, bob was sent already")
                .containsExactly("m.room.member|@carol:test.local");
    }

    @Test
    void aChangedRoomConfigSendsTheRoomWholeAgain(TestHomeserver hs) {
        TestClient alice = hs.registerUser("alice");
        String room = alice.createRoom(null);
        alice.sendMessage(room, "one");
        alice.sendMessage(room, "two");
        JsonNode small = sync(alice, null, "{\"lists\":{\"l\":{\"ranges\":[[0,0]],\"timeline_limit\":1}}}");
        assertThat(small.at("/rooms/" + room + "/timeline")).hasSize(1);
        JsonNode bigger =
                sync(alice, small.get("pos").asText(), "{\"lists\":{\"l\":{\"ranges\":[[0,0]],\"timeline_limit\":2}}}");
        assertThat(bigger.at("/rooms/" + room + "/initial").asBoolean()).isTrue();
        assertThat(bigger.at("/rooms/" + room + "/timeline")).hasSize(2);
        assertThat(bigger.at("/rooms/" + room + "/num_live").asInt()).isZero();
    }

    @Test
    void setPresenceMustBeKnown(TestHomeserver hs) {
        TestClient alice = hs.registerUser("alice");
        assertError(alice.post(SlidingSyncApiTest.PATH + "?set_presence=busy", "{}"), 400, "M_INVALID_PARAM");
        assertThat(alice.post(SlidingSyncApiTest.PATH + "?set_presence=offline", "{}")
                        .expect(200)
                        .json()
                        .get("pos")
                        .isTextual())
                .isTrue();
        assertThat(slidingSync(alice, null, "{}").status()).isEqualTo(200);
    }
}
