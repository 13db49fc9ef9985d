package dev.myelin.core.time;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.myelin.core.cache.FutureCache;
import dev.myelin.core.concurrent.AwakenableSleeper;
import dev.myelin.core.concurrent.Futures;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** The matrix-core runtime primitives, timed by the ManualClock (the test kit's FakeClock). */
class ManualClockDrivesRuntimeTest {

    private static final Duration WAIT = Duration.ofSeconds(5);

    private final ManualClock clock = new ManualClock();

    @Test
    void loopingCallRunsOncePerElapsedInterval() throws Exception {
        AtomicInteger runs = new AtomicInteger();
        try (LoopingCall call =
                LoopingCall.start("count", clock, Duration.ofSeconds(1), false, runs::incrementAndGet)) {
            assertThat(clock.awaitSleepers(1, WAIT)).isTrue();
            assertThat(runs.get()).isZero();
            clock.advance(Duration.ofSeconds(3));
            assertThat(clock.awaitSleepers(1, WAIT)).isTrue();
            assertThat(runs.get()).isEqualTo(3);
            assertThat(call.runs()).isEqualTo(3);
            assertThat(clock.nextDeadline()).contains(Duration.ofSeconds(1));
        }
        assertThat(clock.pendingSleepers()).isZero();
    }

    @Test
    void loopingCallCanRunImmediately() throws Exception {
        AtomicInteger runs = new AtomicInteger();
        try (LoopingCall call = LoopingCall.start("eager", clock, Duration.ofMinutes(5), true, runs::incrementAndGet)) {
            assertThat(clock.awaitSleepers(1, WAIT)).isTrue();
            assertThat(runs.get()).isEqualTo(1);
            assertThat(call.runs()).isEqualTo(1);
            assertThat(clock.nextDeadline()).contains(Duration.ofMinutes(5));
        }
    }

    @Test
    void loopingCallSurvivesAFailingTask() throws Exception {
        AtomicInteger runs = new AtomicInteger();
        try (LoopingCall call = LoopingCall.start("failing", clock, Duration.ofSeconds(1), false, () -> {
            runs.incrementAndGet();
            throw new IllegalStateException("expected by the test");
        })) {
            assertThat(clock.awaitSleepers(1, WAIT)).isTrue();
            clock.advance(Duration.ofSeconds(2));
            assertThat(clock.awaitSleepers(1, WAIT)).isTrue();
            assertThat(runs.get()).isEqualTo(2);
            assertThat(call.isRunning()).isTrue();
        }
    }

    @Test
    void stoppingASleepingLoopingCallRemovesItsSleep() throws Exception {
        LoopingCall call = LoopingCall.start("idle", clock, Duration.ofHours(1), false, () -> {});
        assertThat(clock.awaitSleepers(1, WAIT)).isTrue();
        call.stop();
        assertThat(call.isRunning()).isFalse();
        assertThat(clock.pendingSleepers()).isZero();
    }

    @Test
    void timeoutFiresExactlyAfterTheDurationOnTheClock() throws Exception {
        CompletableFuture<String> slow = new CompletableFuture<>();
        CompletableFuture<String> bounded = Futures.timeout(slow, Duration.ofSeconds(5), clock);
        assertThat(clock.awaitSleepers(1, WAIT)).isTrue();
        clock.advance(Duration.ofSeconds(5).minusNanos(1));
        assertThat(bounded).isNotDone();
        clock.advance(Duration.ofNanos(1));
        assertThatThrownBy(() -> bounded.get(5, TimeUnit.SECONDS))
                .isInstanceOf(ExecutionException.class)
                .cause()
                .isInstanceOf(TimeoutException.class);
        assertThat(slow).isCancelled();
    }

    @Test
    void timeoutStopsWaitingOnTheClockOnceTheValueArrives() throws Exception {
        CompletableFuture<String> lookup = new CompletableFuture<>();
        CompletableFuture<String> bounded = Futures.timeout(lookup, Duration.ofSeconds(5), clock);
        assertThat(clock.awaitSleepers(1, WAIT)).isTrue();
        lookup.complete("value");
        assertThat(bounded.get(5, TimeUnit.SECONDS)).isEqualTo("value");
        awaitNoSleepers();
    }

    @Test
    void awakenableSleeperTimesOutOnTheClock() throws Exception {
        AwakenableSleeper sleeper = new AwakenableSleeper(clock);
        CompletableFuture<Boolean> woken = sleepInBackground(sleeper, "example.org", Duration.ofMinutes(1));
        assertThat(clock.awaitSleepers(1, WAIT)).isTrue();
        clock.advance(Duration.ofSeconds(59));
        assertThat(woken).isNotDone();
        clock.advance(Duration.ofSeconds(1));
        assertThat(woken.get(5, TimeUnit.SECONDS)).isFalse();
    }

    @Test
    void awakenableSleeperWokenEarlyLeavesNoClockSleepBehind() throws Exception {
        AwakenableSleeper sleeper = new AwakenableSleeper(clock);
        CompletableFuture<Boolean> woken = sleepInBackground(sleeper, "example.org", Duration.ofMinutes(1));
        assertThat(clock.awaitSleepers(1, WAIT)).isTrue();
        sleeper.wake("example.org");
        assertThat(woken.get(5, TimeUnit.SECONDS)).isTrue();
        awaitNoSleepers();
    }

    @Test
    void futureCacheEntriesExpireOnTheClock() throws Exception {
        FutureCache<String, String> cache = FutureCache.builder("keys")
                .clock(clock)
                .expireAfterWrite(Duration.ofHours(1))
                .build();
        cache.get("example.org", server -> "key of " + server).get(5, TimeUnit.SECONDS);
        clock.advance(Duration.ofMinutes(59));
        assertThat(cache.getIfPresent("example.org")).isPresent();
        clock.advance(Duration.ofMinutes(1));
        assertThat(cache.getIfPresent("example.org")).isEmpty();
    }

    private CompletableFuture<Boolean> sleepInBackground(AwakenableSleeper sleeper, Object key, Duration timeout) {
        CompletableFuture<Boolean> result = new CompletableFuture<>();
        Thread.ofVirtual().start(() -> {
            try {
                result.complete(sleeper.sleep(key, timeout));
            } catch (InterruptedException e) {
                result.completeExceptionally(e);
            }
        });
        return result;
    }

    /** The interrupted timer thread leaves the heap promptly; yield until it has. */
    private void awaitNoSleepers() {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (clock.pendingSleepers() > 0) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("sleepers left on the clock: " + clock.pendingSleepers());
            }
            Thread.yield();
        }
    }
}
