package dev.myelin.federation.backoff;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.myelin.core.id.ServerName;
import dev.myelin.core.time.ManualClock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class DestinationBackoffTest {
    private static final ServerName REMOTE = ServerName.parse("remote.example");
    private static final ServerName OTHER = ServerName.parse("other.example");
    private static final Instant START = Instant.parse("2026-01-01T00:00:00Z");

    private final ManualClock clock = new ManualClock(START);
    private final RetryTimingsRepository repository = RetryTimingsRepository.inMemory();

    private DestinationBackoff backoff(RetryJitter jitter) {
        return new DestinationBackoff(FederationRetryConfig.DEFAULT, clock, repository, jitter);
    }

    /** Fails an attempt each time the retry time comes, returning the intervals that result. */
    private List<Duration> failRepeatedly(DestinationBackoff backoff, int times) {
        List<Duration> intervals = new ArrayList<>();
        for (int i = 0; i < times; i++) {
            backoff.retryAt(REMOTE).ifPresent(at -> clock.advance(Duration.between(clock.now(), at)));
            backoff.begin(REMOTE).failed();
            intervals.add(backoff.timings(REMOTE).retryInterval());
        }
        return intervals;
    }

    @Test
    void aDestinationNeverTriedIsUp() {
        DestinationBackoff backoff = backoff(RetryJitter.NONE);
        assertThat(backoff.timings(REMOTE)).isEqualTo(RetryTimings.UP);
        assertThat(backoff.inBackoff(REMOTE)).isFalse();
        assertThat(backoff.retryAt(REMOTE)).isEmpty();
    }

    @Test
    void theIntervalStartsAtTenMinutesAndDoublesUpToSevenDays() {
        List<Duration> intervals = failRepeatedly(backoff(RetryJitter.NONE), 14);
        assertThat(intervals)
                .containsExactly(
                        Duration.ofMinutes(10),
                        Duration.ofMinutes(20),
                        Duration.ofMinutes(40),
                        Duration.ofMinutes(80),
                        Duration.ofMinutes(160),
                        Duration.ofMinutes(320),
                        Duration.ofMinutes(640),
                        Duration.ofMinutes(1280),
                        Duration.ofMinutes(2560),
                        Duration.ofMinutes(5120),
                        Duration.ofDays(7), // 10240 minutes would pass the cap of 10080
                        Duration.ofDays(7),
                        Duration.ofDays(7),
                        Duration.ofDays(7));
    }

    @Test
    void theFirstFailureTimeIsKeptAndTheLastAttemptIsTheLatestFailure() {
        DestinationBackoff backoff = backoff(RetryJitter.NONE);
        failRepeatedly(backoff, 3);
        RetryTimings timings = backoff.timings(REMOTE);
        assertThat(timings.failureTs()).isEqualTo(START.toEpochMilli());
        assertThat(timings.retryLastTs())
                .isEqualTo(START.plus(Duration.ofMinutes(10 + 20)).toEpochMilli());
        assertThat(timings.retryAt()).isEqualTo(START.plus(Duration.ofMinutes(10 + 20 + 40)));
    }

    @Test
    void jitterScalesEachGrowthButNotTheFirstInterval() {
        List<Duration> intervals = failRepeatedly(backoff(RetryJitter.fixed(1.4)), 3);
        assertThat(intervals)
                .containsExactly(Duration.ofMinutes(10), Duration.ofMinutes(28), Duration.ofSeconds(28 * 60 * 28 / 10));
        List<Duration> low = failRepeatedlyElsewhere(RetryJitter.fixed(0.8));
        assertThat(low).containsExactly(Duration.ofMinutes(10), Duration.ofMinutes(16));
    }

    private List<Duration> failRepeatedlyElsewhere(RetryJitter jitter) {
        DestinationBackoff backoff =
                new DestinationBackoff(FederationRetryConfig.DEFAULT, clock, RetryTimingsRepository.inMemory(), jitter);
        return failRepeatedly(backoff, 2);
    }

    @Test
    void aDestinationInBackoffIsRefusedUntilItsRetryTime() {
        DestinationBackoff backoff = backoff(RetryJitter.NONE);
        backoff.begin(REMOTE).failed();
        Instant retryAt = START.plus(Duration.ofMinutes(10));
        assertThat(backoff.retryAt(REMOTE)).contains(retryAt);

        clock.advance(Duration.ofMinutes(10).minusMillis(1));
        assertThatThrownBy(() -> backoff.begin(REMOTE))
                .isInstanceOfSatisfying(DestinationInBackoffException.class, e -> {
                    assertThat(e.destination()).isEqualTo(REMOTE);
                    assertThat(e.retryAt()).isEqualTo(retryAt);
                    assertThat(e.timings().retryInterval()).isEqualTo(Duration.ofMinutes(10));
                })
                .hasMessageContaining("remote.example")
                .hasMessageContaining(retryAt.toString());
        assertThat(backoff.inBackoff(OTHER))
                .as("other destinations are unaffected")
                .isFalse();

        clock.advance(Duration.ofMillis(1));
        assertThat(backoff.inBackoff(REMOTE)).isFalse();
        DestinationAttempt retry = backoff.begin(REMOTE);
        assertThat(retry.seen().retryInterval()).isEqualTo(Duration.ofMinutes(10));
    }

    @Test
    void aSuccessResetsTheBackoff() {
        DestinationBackoff backoff = backoff(RetryJitter.NONE);
        failRepeatedly(backoff, 4);
        clock.advance(Duration.ofMinutes(80));
        backoff.begin(REMOTE).succeeded();
        assertThat(backoff.timings(REMOTE)).isEqualTo(RetryTimings.UP);
        assertThat(repository.get(REMOTE)).isEmpty();

        backoff.begin(REMOTE).failed();
        assertThat(backoff.timings(REMOTE).retryInterval())
                .as("the next failure starts again from the minimum")
                .isEqualTo(Duration.ofMinutes(10));
        assertThat(backoff.timings(REMOTE).failureTs()).isEqualTo(clock.nowMillis());
    }

    @Test
    void errorAnswersCountAsSynapseCountsThem() {
        DestinationBackoff backoff = backoff(RetryJitter.NONE);
        for (int status : new int[] {400, 403, 404, 413}) {
            backoff.begin(REMOTE).answeredWithError(status);
            assertThat(backoff.timings(REMOTE)).as("status %d", status).isEqualTo(RetryTimings.UP);
        }
        for (int status : new int[] {401, 429, 500, 502}) {
            ServerName destination = ServerName.parse("s" + status + ".example");
            backoff.begin(destination).answeredWithError(status);
            assertThat(backoff.inBackoff(destination)).as("status %d", status).isTrue();
        }

        backoff.begin(REMOTE).failed();
        clock.advance(Duration.ofMinutes(10));
        backoff.begin(REMOTE).answeredWithError(404);
        assertThat(backoff.timings(REMOTE).retryInterval())
                .as("a 4xx from a failing destination neither resets nor grows the backoff")
                .isEqualTo(Duration.ofMinutes(10));
    }

    @Test
    void attemptsThatFailTogetherGrowTheIntervalOnce() {
        DestinationBackoff backoff = backoff(RetryJitter.NONE);
        backoff.begin(REMOTE).failed();
        clock.advance(Duration.ofMinutes(10));
        DestinationAttempt first = backoff.begin(REMOTE);
        DestinationAttempt second = backoff.begin(REMOTE);
        first.failed();
        second.failed();
        assertThat(backoff.timings(REMOTE).retryInterval()).isEqualTo(Duration.ofMinutes(20));
    }

    @Test
    void ignoringTheBackoffSendsAnywayWithoutGrowingIt() {
        DestinationBackoff backoff = backoff(RetryJitter.NONE);
        backoff.begin(REMOTE).failed();
        RetryTimings before = backoff.timings(REMOTE);

        backoff.beginIgnoringBackoff(REMOTE).failed();
        assertThat(backoff.timings(REMOTE)).isEqualTo(before);

        backoff.beginIgnoringBackoff(REMOTE).succeeded();
        assertThat(backoff.timings(REMOTE)).isEqualTo(RetryTimings.UP);
    }

    @Test
    void aZeroMinimumTurnsBackoffOff() {
        FederationRetryConfig off =
                new FederationRetryConfig(Duration.ZERO, 2, Duration.ofDays(7), RequestRetryPolicy.DEFAULT);
        DestinationBackoff backoff = new DestinationBackoff(off, clock, repository, RetryJitter.NONE);
        backoff.begin(REMOTE).failed();
        backoff.begin(REMOTE).failed();
        assertThat(backoff.inBackoff(REMOTE)).isFalse();
        assertThat(backoff.timings(REMOTE).failureTs())
                .as("still known to be failing")
                .isEqualTo(clock.nowMillis());
    }

    @Test
    void aNewInstanceOverTheSameRepositoryKeepsTheBackoff() {
        failRepeatedly(backoff(RetryJitter.NONE), 2);
        DestinationBackoff restarted = backoff(RetryJitter.NONE);
        assertThat(restarted.timings(REMOTE).retryInterval()).isEqualTo(Duration.ofMinutes(20));
        assertThatThrownBy(() -> restarted.begin(REMOTE)).isInstanceOf(DestinationInBackoffException.class);
        clock.advance(Duration.ofMinutes(20));
        restarted.begin(REMOTE).failed();
        assertThat(restarted.timings(REMOTE).retryInterval()).isEqualTo(Duration.ofMinutes(40));
    }
}
