package org.example.echobot;

import static dev.myelin.testing.MatrixAssertions.assertThat;

import dev.myelin.testing.ClientEvent;
import dev.myelin.testing.HomeserverExtension;
import dev.myelin.testing.TestClient;
import dev.myelin.testing.TestHomeserver;
import dev.myelin.testing.WallClock;
import java.time.Duration;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The bot against a real Myelin homeserver in this JVM. {@code @WallClock} runs the server on the
 * system clock and listens on 127.0.0.1, because the bot uses a real HTTP client and its own
 * long-polls, which must time out without the test moving a fake clock.
 */
@ExtendWith(HomeserverExtension.class)
@WallClock
class EchoBotTest {
    private static final Duration WAIT = Duration.ofSeconds(20);

    private TestClient alice;

    @BeforeEach
    void users(TestHomeserver hs) {
        hs.registerUser("echo", "bot-password");
        alice = hs.registerUser("alice");
    }

    @Test
    void joinsWhenInvitedAndEchoesText(TestHomeserver hs) throws Exception {
        try (EchoBot bot = EchoBot.start(hs.baseUrl(), "echo", "bot-password")) {
            String room = alice.createRoom(null);
            alice.invite(room, bot.userId()).expect(200);
            alice.awaitEvent(room, e -> e.type().equals("m.room.member") && e.stateKey().orElse("").equals(bot.userId())
                    && e.membership().orElse("").equals("join"), WAIT);

            alice.sendMessage(room, "hello");
            ClientEvent reply = alice.awaitEvent(room, e -> e.isMessage("echo: hello"), WAIT);
            assertThat(reply).hasSender("@echo:test.local").isTextMessage("echo: hello");
        }
    }

    @Test
    void answersEachMessageOnceAndNeverItself(TestHomeserver hs) throws Exception {
        String room = alice.createRoom(null);
        try (EchoBot bot = EchoBot.start(hs.baseUrl(), "echo", "bot-password")) {
            alice.invite(room, bot.userId()).expect(200);
            alice.awaitEvent(room, e -> e.stateKey().orElse("").equals(bot.userId()) && e.membership().orElse("").equals("join"), WAIT);

            alice.sendMessage(room, "one");
            alice.sendMessage(room, "two");
            alice.awaitEvent(room, e -> e.isMessage("echo: two"), WAIT);
        }
        // the bot has stopped: whatever it sent is in the room now
        assertThat(alice.messages(room))
                .filteredOn(e -> e.sender().equals("@echo:test.local") && e.type().equals("m.room.message"))
                .extracting(e -> e.body().orElse(""))
                .containsExactly("echo: one", "echo: two");
    }
}
