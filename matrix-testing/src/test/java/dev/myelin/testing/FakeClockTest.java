package dev.myelin.testing;

import static org.assertj.core.api.Assertions.assertThat;

import dev.myelin.core.time.ManualClock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The test kit's name for matrix-core's ManualClock (whose behaviour ManualClockTest covers). */
class FakeClockTest {

    @Test
    void startsAtTheDefaultOrTheGivenInstant() {
        assertThat(new FakeClock().now())
                .isEqualTo(Instant.parse("2024-01-01T00:00:00Z"))
                .isEqualTo(FakeClock.DEFAULT_START);
        Instant start = Instant.parse("2030-06-01T12:00:00Z");
        assertThat(new FakeClock(start).now()).isEqualTo(start);
        assertThat(new FakeClock(start).monotonicNanos()).isZero();
    }

    @Test
    void isTheOneManualClockUnderItsOwnName() {
        FakeClock clock = new FakeClock();
        clock.advance(Duration.ofSeconds(2));
        assertThat(clock).isInstanceOf(ManualClock.class);
        assertThat(clock).hasToString("FakeClock[2024-01-01T00:00:02Z, 0 asleep]");
    }

    @Test
    void sleepUntilAWallTimeWakesExactlyThenWhateverTheAdvancesOnTheWay() throws Exception {
        FakeClock clock = new FakeClock();
        Instant due = FakeClock.DEFAULT_START.plus(Duration.ofMinutes(10));
        clock.advance(Duration.ofMinutes(4)); // before the sleeper even starts: the deadline is absolute
        CompletableFuture<Instant> woke = new CompletableFuture<>();
        Thread.ofVirtual().start(() -> {
            try {
                clock.sleepUntil(due);
                woke.complete(clock.now());
            } catch (InterruptedException e) {
                woke.completeExceptionally(e);
            }
        });
        assertThat(clock.awaitSleepers(1, Duration.ofSeconds(5))).isTrue();
        clock.advance(Duration.ofMinutes(5));
        assertThat(woke).isNotDone();
        clock.advance(Duration.ofMinutes(2));
        assertThat(woke.get(5, TimeUnit.SECONDS)).isEqualTo(due);

        long before = System.nanoTime();
        clock.sleepUntil(due.minusSeconds(1)); // in the past: returns at once
        assertThat(Duration.ofNanos(System.nanoTime() - before)).isLessThan(Duration.ofSeconds(1));
    }
}
