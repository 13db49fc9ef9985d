package dev.myelin.core.time;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.Test;

class ManualClockTest {

    private static final Duration WAIT = Duration.ofSeconds(5);

    private final ManualClock clock = new ManualClock();

    @Test
    void timeMovesOnlyWhenAdvanced() {
        long before = clock.monotonicNanos();
        Instant wallBefore = clock.now();
        assertThat(clock.monotonicNanos()).isEqualTo(before);
        clock.advance(Duration.ofMillis(1500));
        assertThat(clock.monotonicNanos()).isEqualTo(before + 1_500_000_000L);
        assertThat(clock.now()).isEqualTo(wallBefore.plusMillis(1500));
        assertThat(clock.nowMillis()).isEqualTo(Instant.EPOCH.toEpochMilli() + 1500);
    }

    @Test
    void nothingWakesWithoutAdvance() throws Exception {
        CompletableFuture<Void> woke = sleepInBackground(Duration.ofSeconds(10));
        assertThat(clock.awaitSleepers(1, WAIT)).isTrue();
        assertThat(clock.advance(Duration.ZERO)).isEmpty();
        assertThat(clock.pendingSleepers()).isEqualTo(1);
        assertThat(woke).isNotDone();
        clock.advance(Duration.ofSeconds(10));
        woke.get();
    }

    @Test
    void wakesSleeperAtExactDeadline() throws Exception {
        Thread sleeper = startSleeper(Duration.ofSeconds(10));
        assertThat(clock.awaitSleepers(1, WAIT)).isTrue();
        assertThat(clock.advance(Duration.ofSeconds(10))).containsExactly(sleeper);
        sleeper.join();
        assertThat(clock.pendingSleepers()).isZero();
    }

    @Test
    void sleeperWhoseDeadlineIsBeyondTheAdvanceStaysAsleep() throws Exception {
        Thread sleeper = startSleeper(Duration.ofSeconds(10));
        assertThat(clock.awaitSleepers(1, WAIT)).isTrue();
        assertThat(clock.advance(Duration.ofSeconds(10).minusNanos(1))).isEmpty();
        assertThat(clock.pendingSleepers()).isEqualTo(1);
        assertThat(sleeper.isAlive()).isTrue();
        assertThat(clock.nextDeadline()).contains(Duration.ofNanos(1));
        assertThat(clock.advance(Duration.ofNanos(1))).containsExactly(sleeper);
        sleeper.join();
    }

    @Test
    void wakesSleepersInDeadlineOrder() throws Exception {
        Thread thirty = startSleeper(Duration.ofSeconds(30));
        Thread ten = startSleeper(Duration.ofSeconds(10));
        Thread twenty = startSleeper(Duration.ofSeconds(20));
        assertThat(clock.awaitSleepers(3, WAIT)).isTrue();
        assertThat(clock.advance(Duration.ofSeconds(30))).containsExactly(ten, twenty, thirty);
        thirty.join();
        ten.join();
        twenty.join();
    }

    @Test
    void wakesEqualDeadlinesInTheOrderTheSleepsBegan() throws Exception {
        Thread first = startSleeper(Duration.ofSeconds(5));
        assertThat(clock.awaitSleepers(1, WAIT)).isTrue();
        Thread second = startSleeper(Duration.ofSeconds(5));
        assertThat(clock.awaitSleepers(2, WAIT)).isTrue();
        Thread third = startSleeper(Duration.ofSeconds(5));
        assertThat(clock.awaitSleepers(3, WAIT)).isTrue();
        assertThat(clock.advance(Duration.ofSeconds(5))).containsExactly(first, second, third);
    }

    @Test
    void advanceInStepsWakesOnlyWhatIsDue() throws Exception {
        Thread ten = startSleeper(Duration.ofSeconds(10));
        Thread twenty = startSleeper(Duration.ofSeconds(20));
        assertThat(clock.awaitSleepers(2, WAIT)).isTrue();
        assertThat(clock.advance(Duration.ofSeconds(15))).containsExactly(ten);
        assertThat(clock.pendingSleepers()).isEqualTo(1);
        assertThat(clock.advance(Duration.ofSeconds(5))).containsExactly(twenty);
    }

    @Test
    void sleepOfZeroReturnsAtOnce() throws InterruptedException {
        clock.sleep(Duration.ZERO);
        clock.sleepUntil(clock.monotonicNanos());
        assertThat(clock.pendingSleepers()).isZero();
    }

    @Test
    void interruptedSleeperLeavesTheHeap() throws Exception {
        CompletableFuture<Void> woke = sleepInBackground(Duration.ofSeconds(10));
        assertThat(clock.awaitSleepers(1, WAIT)).isTrue();
        sleepers(woke).interrupt();
        assertThatThrownBy(woke::get).cause().isInstanceOf(InterruptedException.class);
        assertThat(clock.pendingSleepers()).isZero();
        assertThat(clock.advance(Duration.ofSeconds(10))).isEmpty();
    }

    @Test
    void awaitSleepersGivesUpAfterTheRealTimeout() throws InterruptedException {
        assertThat(clock.awaitSleepers(1, Duration.ofMillis(20))).isFalse();
    }

    @Test
    void sleepLongerThanNanosecondsCanCountNeverWakes() throws Exception {
        CompletableFuture<Void> woke = sleepInBackground(Duration.ofDays(365L * 1000));
        assertThat(clock.awaitSleepers(1, WAIT)).isTrue();
        assertThat(clock.advance(Duration.ofDays(365L * 200))).isEmpty();
        sleepers(woke).interrupt();
        assertThatThrownBy(woke::get).cause().isInstanceOf(InterruptedException.class);
    }

    @Test
    void refusesToGoBackwards() {
        assertThatThrownBy(() -> clock.advance(Duration.ofSeconds(-1))).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void startsAtTheGivenInstant() {
        Instant start = Instant.parse("2030-06-01T12:00:00Z");
        assertThat(new ManualClock(start).now()).isEqualTo(start);
    }

    private final Map<CompletableFuture<Void>, Thread> threads = new ConcurrentHashMap<>();

    private Thread sleepers(CompletableFuture<Void> future) {
        return threads.get(future);
    }

    private Thread startSleeper(Duration duration) {
        return Thread.ofVirtual().start(() -> {
            try {
                clock.sleep(duration);
            } catch (InterruptedException e) {
                throw new AssertionError(e);
            }
        });
    }

    private CompletableFuture<Void> sleepInBackground(Duration duration) {
        CompletableFuture<Void> woke = new CompletableFuture<>();
        Thread thread = Thread.ofVirtual().unstarted(() -> {
            try {
                clock.sleep(duration);
                woke.complete(null);
            } catch (InterruptedException e) {
                woke.completeExceptionally(e);
            }
        });
        threads.put(woke, thread);
        thread.start();
        return woke;
    }
}
