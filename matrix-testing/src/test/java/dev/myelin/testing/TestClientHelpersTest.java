package dev.myelin.testing;

import static dev.myelin.testing.MatrixAssertions.assertThat;
import static dev.myelin.testing.MatrixAssertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The TestClient helpers a bot or bridge test is written with. */
@ExtendWith(HomeserverExtension.class)
class TestClientHelpersTest {

    @Test
    void joinsSendsReadsAndLeaves(TestHomeserver hs) {
        TestClient alice = hs.registerUser("alice");
        TestClient bob = hs.registerUser("bob");
        String room = alice.createRoom(null);
        assertThat(alice.invite(room, bob.userId())).isOk();
        assertThat(bob.join(room)).isOk();
        bob.sendMessage(room, "one");
        String two = bob.sendMessage(room, "two");
        alice.sendState(
                room, "m.room.topic", "", JsonNodeFactory.instance.objectNode().put("topic", "tests"));

        List<ClientEvent> messages = alice.messages(room);
        assertThat(messages)
                .extracting(ClientEvent::type)
                .startsWith("m.room.create")
                .endsWith("m.room.message", "m.room.message", "m.room.topic");
        assertThat(messages.get(messages.size() - 2))
                .isTextMessage("two")
                .hasSender(bob.userId())
                .hasEventId(two);
        assertThat(alice.messages(room, 1))
                .singleElement()
                .satisfies(e -> assertThat(e).hasStateKey("").hasContent("topic", "tests"));

        assertThat(bob.leave(room)).isOk();
        assertThat(alice.messages(room).getLast()).isMembership(bob.userId(), "leave");
        assertThat(bob.put(
                        "/_matrix/client/v3/rooms/" + TestClient.encode(room) + "/send/m.room.message/t9",
                        JsonNodeFactory.instance.objectNode().put("body", "gone")))
                .hasStatus(403)
                .hasErrcode("M_FORBIDDEN");
    }

    @Test
    void syncKeepsAPositionSoEachCallSeesOnlyWhatIsNew(TestHomeserver hs) {
        TestClient alice = hs.registerUser("alice");
        String room = alice.createRoom(null);
        alice.sendMessage(room, "before");
        assertThat(alice.sync()).hasJoinedRoom(room).hasTimelineEvent(room, "m.room.message", "before");
        assertThat(alice.sync()).hasNoRoomUpdates();
        alice.sendMessage(room, "after");
        assertThat(alice.sync())
                .hasTimelineEvent(room, "m.room.message", "after")
                .timeline(room)
                .extracting(e -> e.body().orElse(""))
                .containsExactly("after");
    }

    @Test
    void awaitEventReturnsWhatArrivesWhileItLongPolls(TestHomeserver hs) throws Exception {
        TestClient alice = hs.registerUser("alice");
        TestClient bob = hs.registerUser("bob");
        String room = alice.createRoom(null);
        alice.invite(room, bob.userId()).expect(200);
        bob.join(room).expect(200);
        alice.sync();

        CompletableFuture<ClientEvent> reply =
                CompletableFuture.supplyAsync(() -> alice.awaitEvent(room, e -> e.isMessage("pong")));
        bob.sendMessage(room, "noise");
        bob.sendMessage(room, "pong");
        assertThat(reply.get(20, TimeUnit.SECONDS)).isTextMessage("pong").hasSender(bob.userId());
    }

    @Test
    void awaitEventAdvancesTheFakeClockInsteadOfSleepingAndFailsWithWhatItSaw(TestHomeserver hs) {
        TestClient alice = hs.registerUser("alice");
        String room = alice.createRoom(null);
        alice.sendMessage(room, "not it");
        Instant before = hs.clock().now();
        long realStart = System.nanoTime();

        assertThatThrownBy(() -> alice.awaitEvent(room, e -> e.isMessage("never"), Duration.ofMinutes(10)))
                .isInstanceOf(AssertionError.class)
                .hasMessageContaining("no matching event in " + room)
                .hasMessageContaining("m.room.message from @alice:test.local: not it");
        assertThat(Duration.between(before, hs.clock().now())).isGreaterThanOrEqualTo(Duration.ofMinutes(10));
        assertThat(Duration.ofNanos(System.nanoTime() - realStart))
                .as("real time spent")
                .isLessThan(Duration.ofSeconds(30));
    }

    @Test
    void awaitSyncWaitsForAnInvite(TestHomeserver hs) throws Exception {
        TestClient alice = hs.registerUser("alice");
        TestClient bob = hs.registerUser("bob");
        String room = alice.createRoom(null);
        bob.sync();
        CompletableFuture<SyncResponse> invited = CompletableFuture.supplyAsync(
                () -> bob.awaitSync(s -> s.invitedRooms().contains(room), Duration.ofSeconds(30)));
        alice.invite(room, bob.userId()).expect(200);
        SyncResponse sync = invited.get(20, TimeUnit.SECONDS);
        assertThat(sync).hasInviteTo(room);
        assertThat(sync.inviteState(room)).extracting(ClientEvent::type).contains("m.room.member");
    }
}
