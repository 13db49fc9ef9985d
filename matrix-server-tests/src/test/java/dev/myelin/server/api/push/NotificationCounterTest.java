package dev.myelin.server.api.push;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.myelin.core.id.RoomId;
import dev.myelin.core.id.UserId;
import dev.myelin.server.handler.push.NotificationCounter;
import dev.myelin.server.handler.push.NotificationCounts;
import dev.myelin.server.handler.room.EventRequest;
import dev.myelin.testing.HomeserverExtension;
import dev.myelin.testing.TestClient;
import dev.myelin.testing.TestHomeserver;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Notification counts over rooms and messages created through the client API. */
@ExtendWith(HomeserverExtension.class)
class NotificationCounterTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    private record Room(TestClient alice, TestClient bob, RoomId id) {}

    /**
     * Alice creates a room inviting Bob, and Bob joins. The joins go through the event creator
     * (the test seam), so the member events carry no profile.
     */
    private static Room room(TestHomeserver hs, int extraMembers) throws Exception {
        TestClient alice = hs.registerUser("alice");
        TestClient bob = hs.registerUser("bob");
        ObjectNode create = JSON.createObjectNode();
        create.putArray("invite").add(bob.userId());
        RoomId room = RoomId.parse(alice.createRoom(create));
        join(hs, room, bob.userId());
        for (int i = 0; i < extraMembers; i++) {
            TestClient other = hs.registerUser("member" + i);
            hs.homeserver()
                    .testSeam()
                    .createEvent(EventRequest.state(
                            room,
                            UserId.parse(alice.userId()),
                            "m.room.member",
                            other.userId(),
                            JSON.createObjectNode().put("membership", "invite")));
            join(hs, room, other.userId());
        }
        return new Room(alice, bob, room);
    }

    private static void join(TestHomeserver hs, RoomId room, String user) {
        hs.homeserver()
                .testSeam()
                .createEvent(EventRequest.state(
                        room,
                        UserId.parse(user),
                        "m.room.member",
                        user,
                        JsonNodeFactory.instance.objectNode().put("membership", "join")));
    }

    /** Bob's public read receipt, sent over HTTP. */
    private static void readUpTo(Room room, String eventId) {
        room.bob()
                .post(
                        "/_matrix/client/v3/rooms/"
                                + TestClient.encode(room.id().value()) + "/receipt/m.read/"
                                + TestClient.encode(eventId),
                        JSON.createObjectNode())
                .expect(200);
    }

    private static NotificationCounts counts(TestHomeserver hs, Room room) {
        return hs.homeserver()
                .testSeam()
                .notificationCounts(UserId.parse(room.bob().userId()), room.id());
    }

    @Test
    void countsMessagesSinceTheJoinAndHighlightsMentions(TestHomeserver hs) throws Exception {
        Room room = room(hs, 0);
        assertThat(counts(hs, room)).isEqualTo(NotificationCounts.ZERO);
        room.alice().sendMessage(room.id().value(), "hello");
        room.alice().sendMessage(room.id().value(), "anyone?");
        room.alice()
                .sendEvent(
                        room.id().value(),
                        "m.room.message",
                        JSON.createObjectNode()
                                .put("msgtype", "m.text")
                                .put("body", "bob!")
                                .set(
                                        "m.mentions",
                                        JSON.createObjectNode()
                                                .set(
                                                        "user_ids",
                                                        JSON.createArrayNode()
                                                                .add(room.bob().userId()))));
        assertThat(counts(hs, room)).isEqualTo(new NotificationCounts(3, 1));
        // Bob's own messages, notices and reactions do not count
        room.bob().sendMessage(room.id().value(), "I'm here");
        room.alice()
                .sendEvent(
                        room.id().value(),
                        "m.room.message",
                        JSON.createObjectNode().put("msgtype", "m.notice").put("body", "bot"));
        room.alice().sendEvent(room.id().value(), "m.reaction", JSON.createObjectNode());
        assertThat(counts(hs, room)).isEqualTo(new NotificationCounts(3, 1));
        // Alice's count is unaffected by her own messages and counts Bob's
        assertThat(hs.homeserver()
                        .testSeam()
                        .notificationCounts(UserId.parse(room.alice().userId()), room.id()))
                .isEqualTo(new NotificationCounts(1, 0));
    }

    @Test
    void followsTheUsersPushRules(TestHomeserver hs) throws Exception {
        Room room = room(hs, 0);
        room.alice().sendMessage(room.id().value(), "one");
        room.bob()
                .put(
                        "/_matrix/client/v3/pushrules/global/room/"
                                + TestClient.encode(room.id().value()),
                        JSON.createObjectNode().set("actions", JSON.createArrayNode()))
                .expect(200);
        room.alice().sendMessage(room.id().value(), "two");
        assertThat(counts(hs, room)).isEqualTo(NotificationCounts.ZERO);
        room.bob()
                .request(
                        "DELETE",
                        "/_matrix/client/v3/pushrules/global/room/"
                                + TestClient.encode(room.id().value()),
                        null)
                .expect(200);
        room.bob()
                .put(
                        "/_matrix/client/v3/pushrules/global/content/tea",
                        JSON.readTree("{\"pattern\":\"tea\",\"actions\":[\"notify\",{\"set_tweak\":\"highlight\"}]}"))
                .expect(200);
        room.alice().sendMessage(room.id().value(), "Time for tea");
        assertThat(counts(hs, room)).isEqualTo(new NotificationCounts(3, 1));
    }

    @Test
    void countsOnlyAfterTheReadReceipt(TestHomeserver hs) throws Exception {
        Room room = room(hs, 0);
        room.alice().sendMessage(room.id().value(), "one");
        String two = room.alice().sendMessage(room.id().value(), "two");
        room.alice().sendMessage(room.id().value(), "three");
        assertThat(counts(hs, room)).isEqualTo(new NotificationCounts(3, 0));
        // a receipt older than the join (e.g. from an earlier membership) does not reach before the join
        String createId = null;
        for (JsonNode event : room.alice()
                .get("/_matrix/client/v3/rooms/" + TestClient.encode(room.id().value()) + "/state")
                .expect(200)
                .json()) {
            if (event.get("type").asText().equals("m.room.create")) {
                createId = event.get("event_id").asText();
            }
        }
        readUpTo(room, createId);
        assertThat(counts(hs, room)).isEqualTo(new NotificationCounts(3, 0));
        readUpTo(room, two);
        assertThat(counts(hs, room)).isEqualTo(new NotificationCounts(1, 0));
    }

    @Test
    void groupRoomsUseTheMessageRuleAndNonMembersHaveNoCounts(TestHomeserver hs) throws Exception {
        Room room = room(hs, 1);
        room.alice().sendMessage(room.id().value(), "hi all");
        assertThat(counts(hs, room)).isEqualTo(new NotificationCounts(1, 0));
        TestClient stranger = hs.registerUser("stranger");
        assertThat(hs.homeserver().testSeam().notificationCounts(UserId.parse(stranger.userId()), room.id()))
                .isEqualTo(NotificationCounts.ZERO);
        assertThat(hs.homeserver()
                        .testSeam()
                        .notificationCounts(UserId.parse(stranger.userId()), RoomId.parse("!nowhere:test.local")))
                .isEqualTo(NotificationCounts.ZERO);
    }

    @Test
    void scansAtMostTheNewestThousandEvents(TestHomeserver hs) throws Exception {
        Room room = room(hs, 0);
        UserId alice = UserId.parse(room.alice().userId());
        for (int i = 0; i < NotificationCounter.MAX_SCANNED + 5; i++) {
            hs.homeserver()
                    .testSeam()
                    .createEvent(EventRequest.message(
                            room.id(),
                            alice,
                            "m.room.message",
                            JSON.createObjectNode().put("msgtype", "m.text").put("body", "m" + i)));
        }
        assertThat(counts(hs, room)).isEqualTo(new NotificationCounts(NotificationCounter.MAX_SCANNED, 0));
    }
}
