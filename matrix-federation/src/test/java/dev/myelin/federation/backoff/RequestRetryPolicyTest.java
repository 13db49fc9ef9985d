package dev.myelin.federation.backoff;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.myelin.federation.backoff.RequestRetryPolicy.Schedule;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class RequestRetryPolicyTest {
    private static final RequestRetryPolicy POLICY = RequestRetryPolicy.DEFAULT;

    private static List<Duration> delays(RequestRetryPolicy policy, Schedule schedule) {
        List<Duration> delays = new ArrayList<>();
        for (int retry = 1; ; retry++) {
            Optional<Duration> delay = policy.delayBeforeRetry(schedule, retry);
            if (delay.isEmpty()) {
                return delays;
            }
            delays.add(delay.get());
        }
    }

    @Test
    void defaultsAreSynapses() {
        assertThat(POLICY).isEqualTo(new RequestRetryPolicy(10, Duration.ofSeconds(60), 3, Duration.ofSeconds(2)));
        assertThat(POLICY.maxRetries(Schedule.LONG)).isEqualTo(10);
        assertThat(POLICY.maxRetries(Schedule.SHORT)).isEqualTo(3);
    }

    @Test
    void longScheduleQuadruplesFromFourSecondsUpToTheCap() {
        assertThat(delays(POLICY, Schedule.LONG))
                .containsExactly(
                        Duration.ofSeconds(4),
                        Duration.ofSeconds(16),
                        Duration.ofSeconds(60),
                        Duration.ofSeconds(60),
                        Duration.ofSeconds(60),
                        Duration.ofSeconds(60),
                        Duration.ofSeconds(60),
                        Duration.ofSeconds(60),
                        Duration.ofSeconds(60),
                        Duration.ofSeconds(60));
    }

    @Test
    void shortScheduleDoublesFromHalfASecondUpToTheCap() {
        assertThat(delays(POLICY, Schedule.SHORT))
                .containsExactly(Duration.ofMillis(500), Duration.ofSeconds(1), Duration.ofSeconds(2));
        RequestRetryPolicy more = new RequestRetryPolicy(20, Duration.ofSeconds(100), 5, Duration.ofSeconds(7));
        assertThat(delays(more, Schedule.SHORT))
                .containsExactly(
                        Duration.ofMillis(500),
                        Duration.ofSeconds(1),
                        Duration.ofSeconds(2),
                        Duration.ofSeconds(4),
                        Duration.ofSeconds(7));
        assertThat(delays(more, Schedule.LONG))
                .hasSize(20)
                .startsWith(
                        Duration.ofSeconds(4), Duration.ofSeconds(16), Duration.ofSeconds(64), Duration.ofSeconds(100));
    }

    @Test
    void jitterMultipliesTheCappedDelay() {
        RetryJitter high = RetryJitter.fixed(1.4);
        assertThat(POLICY.delayBeforeRetry(Schedule.LONG, 1, high)).contains(Duration.ofMillis(5_600));
        assertThat(POLICY.delayBeforeRetry(Schedule.LONG, 5, high))
                .as("the cap is applied before the jitter, as Synapse does")
                .contains(Duration.ofSeconds(84));
        assertThat(POLICY.delayBeforeRetry(Schedule.SHORT, 1, RetryJitter.fixed(0.8)))
                .contains(Duration.ofMillis(400));
    }

    @Test
    void noRetriesMeansTheFirstFailureIsFinal() {
        RequestRetryPolicy none = new RequestRetryPolicy(0, Duration.ofSeconds(60), 0, Duration.ofSeconds(2));
        assertThat(none.delayBeforeRetry(Schedule.LONG, 1)).isEmpty();
        assertThat(none.delayBeforeRetry(Schedule.SHORT, 1)).isEmpty();
    }

    @Test
    void manyRetriesWithAHugeCapDoNotOverflow() {
        RequestRetryPolicy huge = new RequestRetryPolicy(
                Integer.MAX_VALUE, Duration.ofMillis(Long.MAX_VALUE), 1000, Duration.ofMillis(Long.MAX_VALUE));
        assertThat(huge.delayBeforeRetry(Schedule.LONG, 500))
                .hasValueSatisfying(d -> assertThat(d).isPositive());
        assertThat(huge.delayBeforeRetry(Schedule.SHORT, 1000))
                .hasValueSatisfying(d -> assertThat(d).isPositive());
    }

    @Test
    void refusesRetryNumbersBelowOneAndNegativeSettings() {
        assertThatThrownBy(() -> POLICY.delayBeforeRetry(Schedule.LONG, 0))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new RequestRetryPolicy(-1, Duration.ZERO, 0, Duration.ZERO))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new RequestRetryPolicy(1, Duration.ofSeconds(-1), 0, Duration.ZERO))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void synapsesJitterStaysBetweenPointEightAndOnePointFour() {
        for (int i = 0; i < 1000; i++) {
            assertThat(RetryJitter.UNIFORM_0_8_TO_1_4.factor()).isBetween(0.8, 1.4);
        }
    }
}
