package org.example.reminderbot;

import static dev.myelin.testing.EventPredicates.joined;
import static dev.myelin.testing.EventPredicates.message;
import static dev.myelin.testing.MatrixAssertions.assertThat;

import dev.myelin.testing.FakeClock;
import dev.myelin.testing.HomeserverExtension;
import dev.myelin.testing.LoopbackFaults;
import dev.myelin.testing.LoopbackListener;
import dev.myelin.testing.TestClient;
import dev.myelin.testing.TestHomeserver;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The bot against a real Myelin homeserver in this JVM. {@code @LoopbackListener} keeps the
 * server on its fake clock and listens on 127.0.0.1 for the bot's HTTP client; the bot's own
 * timers run on the same clock, so a reminder due in ten minutes fires when the test advances the
 * clock by ten minutes, at once, and not before.
 */
@ExtendWith(HomeserverExtension.class)
@LoopbackListener
class ReminderBotTest {
    /** Real time the test gives the bot to answer: it runs on other threads. */
    private static final Duration WAIT = Duration.ofSeconds(10);

    private TestClient alice;
    private String room;
    private ReminderBot bot;

    @BeforeEach
    void startTheBotInARoom(TestHomeserver hs) throws Exception {
        hs.registerUser("reminder", "bot-password");
        alice = hs.registerUser("alice");
        bot = ReminderBot.start(hs.baseUrl(), "reminder", "bot-password", sharing(hs.clock()));
        room = alice.createRoom(null);
        alice.invite(room, bot.userId()).expect(200);
        alice.awaitEventInRealTime(room, joined(bot.userId()), WAIT);
    }

    @AfterEach
    void stopTheBot() throws Exception {
        bot.close();
    }

    /** The bot's clock seam on the server's fake clock. */
    private static BotClock sharing(FakeClock clock) {
        return new BotClock() {
            @Override
            public Instant now() {
                return clock.now();
            }

            @Override
            public void sleepUntil(Instant moment) throws InterruptedException {
                clock.sleepUntil(moment);
            }
        };
    }

    @Test
    void remindsWhenTheTimeComes(TestHomeserver hs) {
        FakeClock clock = hs.clock(); // 2026-01-01T00:00:00Z, and it stays there until the test moves it
        alice.sendMessage(room, "!remind 10m stretch");
        alice.awaitEventInRealTime(room, message("Reminder set for 2026-01-01T00:10:00Z: stretch"), WAIT);

        clock.advance(Duration.ofMinutes(9));
        alice.assertNoEvent(room, message("Reminder: stretch"), Duration.ofMillis(300));

        clock.advance(Duration.ofMinutes(1));
        assertThat(alice.awaitEventInRealTime(room, message("Reminder: stretch"), WAIT))
                .hasSender(bot.userId());
    }

    @Test
    void waitsAsLongAsTheServerAsksWhenRateLimited(TestHomeserver hs) {
        hs.faults().failNext("/_matrix/client/v3/rooms/[^/]+/send/.+", 429, Duration.ofSeconds(20));
        alice.sendMessage(room, "!remind 1h stand up");

        // the confirmation was answered 429: the bot waits 20 s on its clock, which only moves when
        // the test moves it, so nothing arrives meanwhile
        alice.assertNoEvent(room, message("Reminder set for 2026-01-01T01:00:00Z: stand up"), Duration.ofMillis(300));
        assertThat(hs.faults().injected()).extracting(LoopbackFaults.Injected::status).containsExactly(429);

        // awaitEvent moves the clock while it waits, in steps, until the retried confirmation arrives
        alice.awaitEvent(room, message("Reminder set for 2026-01-01T01:00:00Z: stand up"), Duration.ofMinutes(1));
        assertThat(Duration.between(Instant.parse("2026-01-01T00:00:00Z"), hs.clock().now()))
                .isGreaterThanOrEqualTo(Duration.ofSeconds(20))
                .isLessThan(Duration.ofHours(1));
    }
}
