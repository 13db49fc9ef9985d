package dev.myelin.core.concurrent;

import static org.assertj.core.api.Assertions.assertThat;

import dev.myelin.core.TestWaits;
import dev.myelin.core.time.SystemClock;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Early wake-ups on the real clock; timeouts are covered with ManualClock in ManualClockDrivesRuntimeTest. */
class AwakenableSleeperTest {

    private final AwakenableSleeper sleeper = new AwakenableSleeper(SystemClock.INSTANCE);

    @Test
    void wakeEndsTheSleepEarly() throws Exception {
        CompletableFuture<Boolean> result = sleepInBackground("example.org", Duration.ofHours(1));
        TestWaits.until(() -> sleeper.sleepingKeys() == 1);
        sleeper.wake("example.org");
        assertThat(result.get(5, TimeUnit.SECONDS)).isTrue();
        assertThat(sleeper.sleepingKeys()).isZero();
    }

    @Test
    void wakeOnAnotherKeyLeavesTheSleepAlone() throws Exception {
        CompletableFuture<Boolean> a = sleepInBackground("a", Duration.ofHours(1));
        CompletableFuture<Boolean> b = sleepInBackground("b", Duration.ofHours(1));
        TestWaits.until(() -> sleeper.sleepingKeys() == 2);
        sleeper.wake("a");
        assertThat(a.get(5, TimeUnit.SECONDS)).isTrue();
        assertThat(b).isNotDone();
        sleeper.wake("b");
        assertThat(b.get(5, TimeUnit.SECONDS)).isTrue();
    }

    @Test
    void wakeWithNobodySleepingDoesNotAffectLaterSleeps() {
        sleeper.wake("a");
        assertThat(sleeper.sleepingKeys()).isZero();
    }

    @Test
    void elapsedTimeoutReturnsFalse() throws InterruptedException {
        assertThat(sleeper.sleep("a", Duration.ZERO)).isFalse();
        assertThat(sleeper.sleepingKeys()).isZero();
    }

    @Test
    void interruptedSleepLeavesNothingBehind() throws Exception {
        CompletableFuture<Boolean> result = new CompletableFuture<>();
        Thread thread = Thread.ofVirtual().start(() -> {
            try {
                result.complete(sleeper.sleep("a", Duration.ofHours(1)));
            } catch (InterruptedException e) {
                result.completeExceptionally(e);
            }
        });
        TestWaits.until(() -> sleeper.sleepingKeys() == 1);
        thread.interrupt();
        thread.join();
        assertThat(result).isCompletedExceptionally();
        assertThat(sleeper.sleepingKeys()).isZero();
    }

    private CompletableFuture<Boolean> sleepInBackground(Object key, Duration timeout) {
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
}
