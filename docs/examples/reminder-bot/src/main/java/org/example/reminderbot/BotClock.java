package org.example.reminderbot;

import java.time.Duration;
import java.time.Instant;

/**
 * The bot's time: what time it is, and waiting until a moment. {@link #system()} is the real one;
 * a test hands the bot a clock it moves itself, so that a reminder due in ten minutes fires when
 * the test says ten minutes have passed, at once.
 */
public interface BotClock {

    /** The current time. */
    Instant now();

    /**
     * Blocks until {@code moment}, returning at once if it has passed.
     *
     * @throws InterruptedException if the thread is interrupted meanwhile
     */
    void sleepUntil(Instant moment) throws InterruptedException;

    /** The system clock: {@link Instant#now()} and {@link Thread#sleep}. */
    static BotClock system() {
        return new BotClock() {
            @Override
            public Instant now() {
                return Instant.now();
            }

            @Override
            public void sleepUntil(Instant moment) throws InterruptedException {
                Duration left = Duration.between(Instant.now(), moment);
                if (left.isPositive()) {
                    Thread.sleep(left);
                }
            }
        };
    }
}
