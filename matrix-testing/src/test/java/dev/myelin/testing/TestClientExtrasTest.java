package dev.myelin.testing;

import static dev.myelin.testing.EventPredicates.presence;
import static dev.myelin.testing.EventPredicates.receipt;
import static dev.myelin.testing.EventPredicates.typing;
import static dev.myelin.testing.MatrixAssertions.assertThat;
import static dev.myelin.testing.MatrixAssertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The typed helpers for media, typing, receipts and presence. */
@ExtendWith(HomeserverExtension.class)
class TestClientExtrasTest {

    @Test
    void uploadsAndDownloadsMedia(TestHomeserver hs) {
        TestClient alice = hs.registerUser("alice");
        TestClient bob = hs.registerUser("bob");
        byte[] png = {(byte) 0x89, 'P', 'N', 'G', 0, (byte) 0xff, 1, 2};

        String mxc = alice.uploadMedia(png, "image/png", "dot.png");

        assertThat(mxc).startsWith("mxc://test.local/");
        DownloadedMedia media = bob.downloadMedia(mxc);
        assertThat(media.bytes()).isEqualTo(png);
        assertThat(media.contentType()).isEqualTo("image/png");
        assertThat(media.contentDisposition())
                .hasValueSatisfying(d -> assertThat(d).contains("dot.png"));
        assertThat(alice.downloadMedia(alice.uploadMedia("héllo".getBytes(StandardCharsets.UTF_8), "text/plain", null))
                        .text())
                .isEqualTo("héllo");
        assertThatThrownBy(() -> bob.downloadMedia("mxc://test.local/nothing"))
                .isInstanceOf(AssertionError.class)
                .hasMessageContaining("404");
        assertThatThrownBy(() -> hs.anonymous().uploadMedia(png, "image/png", null))
                .isInstanceOf(AssertionError.class)
                .hasMessageContaining("401");
    }

    @Test
    void typingAndReceiptsArriveAsEphemeralEvents(TestHomeserver hs) {
        TestClient alice = hs.registerUser("alice");
        TestClient bob = hs.registerUser("bob");
        String room = alice.createRoom(null);
        alice.invite(room, bob.userId()).expect(200);
        bob.join(room).expect(200);
        String hello = alice.sendMessage(room, "hello");
        alice.sync();

        bob.setTyping(room, true, Duration.ofSeconds(30));
        SyncResponse typingNow = alice.awaitSyncInRealTime(
                s -> s.ephemeral(room).stream().anyMatch(typing(bob.userId())), Duration.ofSeconds(5));
        assertThat(typingNow.ephemeral(room)).anyMatch(typing(bob.userId()));

        bob.setTyping(room, false, Duration.ZERO);
        alice.awaitSyncInRealTime(
                s -> s.ephemeral(room).stream()
                        .anyMatch(e -> e.type().equals("m.typing")
                                && e.content().path("user_ids").isEmpty()),
                Duration.ofSeconds(5));

        bob.sendReadReceipt(room, hello);
        SyncResponse receipts = alice.awaitSyncInRealTime(
                s -> s.ephemeral(room).stream().anyMatch(receipt(bob.userId(), hello)), Duration.ofSeconds(5));
        assertThat(receipts.ephemeral(room))
                .filteredOn(receipt(alice.userId(), hello))
                .isEmpty();
    }

    @Test
    void presenceIsSetReadAndSynced(TestHomeserver hs) {
        TestClient alice = hs.registerUser("alice");
        TestClient bob = hs.registerUser("bob");
        String room = alice.createRoom(null);
        alice.invite(room, bob.userId()).expect(200);
        bob.join(room).expect(200);
        alice.sync();

        bob.setPresence("unavailable", "at lunch");

        assertThat(alice.presence(bob.userId()).presence()).isEqualTo("unavailable");
        assertThat(alice.presence(bob.userId()).statusMsg()).isEqualTo("at lunch");
        SyncResponse sync = alice.awaitSyncInRealTime(
                s -> s.presence().stream().anyMatch(presence(bob.userId(), "unavailable")), Duration.ofSeconds(5));
        assertThat(sync.presence())
                .filteredOn(presence(bob.userId(), "unavailable"))
                .first()
                .satisfies(e -> assertThat(e).hasContent("status_msg", "at lunch"));
    }

    @Test
    void messagesAsksForAHundredEventsByDefault(TestHomeserver hs) {
        TestClient alice = hs.registerUser("alice");
        String room = alice.createRoom(null);
        for (int i = 0; i < 110; i++) {
            alice.sendMessage(room, "m" + i);
        }
        assertThat(alice.messages(room)).hasSize(TestClient.DEFAULT_MESSAGES_LIMIT);
        assertThat(alice.messages(room).getLast()).isTextMessage("m109");
        assertThat(alice.messages(room, 120)).hasSizeGreaterThan(110);
    }
}
