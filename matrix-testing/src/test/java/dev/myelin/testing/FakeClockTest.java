package dev.myelin.testing;

import static org.assertj.core.api.Assertions.assertThat;

import dev.myelin.core.time.ManualClock;
import java.time.Duration;
import java.time.Instant;
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
}
