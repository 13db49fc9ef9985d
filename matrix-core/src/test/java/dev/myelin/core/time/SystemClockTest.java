package dev.myelin.core.time;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class SystemClockTest {

    private final Clock clock = SystemClock.INSTANCE;

    @Test
    void wallTimeAgreesWithMillis() {
        Instant before = clock.now();
        long millis = clock.nowMillis();
        assertThat(millis).isGreaterThanOrEqualTo(before.toEpochMilli());
    }

    @Test
    void monotonicTimeNeverGoesBackwards() {
        long first = clock.monotonicNanos();
        assertThat(clock.monotonicNanos()).isGreaterThanOrEqualTo(first);
    }

    @Test
    void sleepUntilPastDeadlineReturnsAtOnce() throws InterruptedException {
        clock.sleepUntil(clock.monotonicNanos() - 1);
        clock.sleep(Duration.ZERO);
    }

    @Test
    void interruptedSleepThrows() {
        Thread.currentThread().interrupt();
        assertThatThrownBy(() -> clock.sleep(Duration.ofHours(1))).isInstanceOf(InterruptedException.class);
        assertThat(Thread.interrupted()).isFalse();
    }
}
