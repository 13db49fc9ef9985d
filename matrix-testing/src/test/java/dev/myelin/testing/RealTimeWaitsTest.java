package dev.myelin.testing;

import static dev.myelin.testing.EventPredicates.message;
import static dev.myelin.testing.EventPredicates.messageFrom;
import static dev.myelin.testing.MatrixAssertions.assertThat;
import static dev.myelin.testing.MatrixAssertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The waits that leave the fake clock alone: awaitEventInRealTime, awaitSyncInRealTime, assertNoEvent. */
@ExtendWith(HomeserverExtension.class)
class RealTimeWaitsTest {

    @Test
    void awaitEventInRealTimeReturnsWhatArrivesAndNeverMovesTheClock(TestHomeserver hs) throws Exception {
        TestClient alice = hs.registerUser("alice");
        TestClient bob = hs.registerUser("bob");
        String room = alice.createRoom(null);
        alice.invite(room, bob.userId()).expect(200);
        bob.join(room).expect(200);
        alice.sync();
        Instant before = hs.clock().now();

        CompletableFuture<ClientEvent> reply = CompletableFuture.supplyAsync(
                () -> alice.awaitEventInRealTime(room, message("pong"), Duration.ofSeconds(10)));
        Thread.sleep(50);
        bob.sendMessage(room, "pong");

        assertThat(reply.get(20, TimeUnit.SECONDS)).isTextMessage("pong").hasSender(bob.userId());
        assertThat(hs.clock().now()).isEqualTo(before);
    }

    @Test
    void aFailingRealTimeWaitCostsItsTimeoutAndListsWhatItSaw(TestHomeserver hs) {
        TestClient alice = hs.registerUser("alice");
        String room = alice.createRoom(null);
        alice.sendMessage(room, "not it");
        Instant before = hs.clock().now();
        long start = System.nanoTime();

        assertThatThrownBy(() -> alice.awaitEventInRealTime(room, message("never"), Duration.ofMillis(300)))
                .isInstanceOf(AssertionError.class)
                .hasMessageContaining("m.room.message from @alice:test.local: not it")
                .hasMessageContaining("of real time");
        assertThat(Duration.ofNanos(System.nanoTime() - start))
                .isBetween(Duration.ofMillis(300), Duration.ofSeconds(3));
        assertThat(hs.clock().now()).isEqualTo(before);
    }

    @Test
    void awaitSyncInRealTimeSeesAnInvite(TestHomeserver hs) throws Exception {
        TestClient alice = hs.registerUser("alice");
        TestClient bob = hs.registerUser("bob");
        String room = alice.createRoom(null);
        bob.sync();
        CompletableFuture<SyncResponse> invited = CompletableFuture.supplyAsync(
                () -> bob.awaitSyncInRealTime(s -> s.invitedRooms().contains(room), Duration.ofSeconds(10)));
        alice.invite(room, bob.userId()).expect(200);
        assertThat(invited.get(20, TimeUnit.SECONDS)).hasInviteTo(room);
    }

    @Test
    void assertNoEventPassesQuicklyAndLeavesThePositionAndTheClock(TestHomeserver hs) {
        TestClient alice = hs.registerUser("alice");
        TestClient bob = hs.registerUser("bob");
        String room = alice.createRoom(null);
        alice.invite(room, bob.userId()).expect(200);
        bob.join(room).expect(200);
        alice.sync();
        bob.sendMessage(room, "unrelated");
        Instant before = hs.clock().now();
        long start = System.nanoTime();

        alice.assertNoEvent(room, message("reminder"), Duration.ofMillis(200));

        assertThat(Duration.ofNanos(System.nanoTime() - start))
                .isBetween(Duration.ofMillis(200), Duration.ofSeconds(3));
        assertThat(hs.clock().now()).isEqualTo(before);
        // the event it looked at and let pass is still there for the next wait
        assertThat(alice.sync()).hasTimelineEvent(room, "m.room.message", "unrelated");
    }

    @Test
    void assertNoEventFailsAtTheFirstMatchingEvent(TestHomeserver hs) {
        TestClient alice = hs.registerUser("alice");
        TestClient bob = hs.registerUser("bob");
        String room = alice.createRoom(null);
        alice.invite(room, bob.userId()).expect(200);
        bob.join(room).expect(200);
        alice.sync();
        bob.sendMessage(room, "too early");
        long start = System.nanoTime();

        assertThatThrownBy(() -> alice.assertNoEvent(room, messageFrom(bob.userId()), Duration.ofSeconds(10)))
                .isInstanceOf(AssertionError.class)
                .hasMessageContaining("too early");
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(5));
    }

    @Test
    void aClientThatNeverSyncedLooksOnlyAtWhatArrivesAfterTheCall(TestHomeserver hs) {
        TestClient alice = hs.registerUser("alice");
        String room = alice.createRoom(null);
        alice.sendMessage(room, "old news");
        TestClient fresh = hs.login("alice", "password");

        fresh.assertNoEvent(room, message("old news"), Duration.ofMillis(100));
        // and it has still not synced: its first wait still includes the initial sync's timeline
        assertThat(fresh.awaitEventInRealTime(room, message("old news"), Duration.ofSeconds(5)))
                .isTextMessage("old news");
    }
}
