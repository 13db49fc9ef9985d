package dev.myelin.core.concurrent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.myelin.core.time.SystemClock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.Test;

/** Timeouts firing are covered with ManualClock in ManualClockDrivesRuntimeTest. */
class FuturesTest {

    @Test
    void gatherReturnsResultsInInputOrder() throws Exception {
        CompletableFuture<String> a = new CompletableFuture<>();
        CompletableFuture<String> b = new CompletableFuture<>();
        CompletableFuture<List<String>> all = Futures.gather(List.of(a, b));
        b.complete("b");
        assertThat(all).isNotDone();
        a.complete("a");
        assertThat(all.get(5, TimeUnit.SECONDS)).containsExactly("a", "b");
    }

    @Test
    void gatherOfNothingIsAnEmptyList() {
        assertThat(Futures.<String>gather(List.of()).join()).isEmpty();
    }

    @Test
    void gatherFailsFastWithTheFirstFailureAndCancelsTheRest() {
        CompletableFuture<String> slow = new CompletableFuture<>();
        CompletableFuture<String> failing = new CompletableFuture<>();
        CompletableFuture<String> done = CompletableFuture.completedFuture("done");
        CompletableFuture<List<String>> all = Futures.gather(List.of(slow, failing, done));
        IllegalStateException boom = new IllegalStateException("boom");
        failing.completeExceptionally(new CompletionException(boom));
        assertThatThrownBy(all::get)
                .isInstanceOf(ExecutionException.class)
                .cause()
                .isSameAs(boom);
        assertThat(slow).isCancelled();
        assertThat(done).isNotCancelled();
    }

    @Test
    void cancellingAGatherCancelsItsInputs() {
        CompletableFuture<String> a = new CompletableFuture<>();
        CompletableFuture<String> b = new CompletableFuture<>();
        Futures.gather(List.of(a, b)).cancel(false);
        assertThat(a).isCancelled();
        assertThat(b).isCancelled();
    }

    @Test
    void timeoutPassesThroughAValueThatArrivesInTime() throws Exception {
        CompletableFuture<String> input = new CompletableFuture<>();
        CompletableFuture<String> bounded = Futures.timeout(input, Duration.ofHours(1), SystemClock.INSTANCE);
        input.complete("value");
        assertThat(bounded.get(5, TimeUnit.SECONDS)).isEqualTo("value");
    }

    @Test
    void timeoutPassesThroughAFailure() {
        CompletableFuture<String> input = new CompletableFuture<>();
        CompletableFuture<String> bounded = Futures.timeout(input, Duration.ofHours(1), SystemClock.INSTANCE);
        IllegalStateException boom = new IllegalStateException("boom");
        input.completeExceptionally(boom);
        assertThatThrownBy(() -> bounded.get(5, TimeUnit.SECONDS)).cause().isSameAs(boom);
    }

    @Test
    void zeroTimeoutFailsAndCancelsTheInput() {
        CompletableFuture<String> input = new CompletableFuture<>();
        CompletableFuture<String> bounded = Futures.timeout(input, Duration.ZERO, SystemClock.INSTANCE);
        assertThatThrownBy(() -> bounded.get(5, TimeUnit.SECONDS)).cause().isInstanceOf(TimeoutException.class);
        assertThat(input).isCancelled();
    }

    @Test
    void cancellingATimeoutCancelsTheInput() {
        CompletableFuture<String> input = new CompletableFuture<>();
        Futures.timeout(input, Duration.ofHours(1), SystemClock.INSTANCE).cancel(false);
        assertThat(input).isCancelled();
    }

    @Test
    void shieldedOperationKeepsRunningWhenTheCallerCancels() {
        CompletableFuture<String> operation = new CompletableFuture<>();
        CompletableFuture<String> shielded = Futures.shield(operation);
        assertThat(shielded.cancel(true)).isTrue();
        assertThat(shielded).isCancelled();
        assertThat(operation).isNotDone();
        operation.complete("written");
        assertThat(operation.join()).isEqualTo("written");
    }

    @Test
    void shieldedTimeoutLeavesTheOperationRunning() {
        CompletableFuture<String> operation = new CompletableFuture<>();
        CompletableFuture<String> bounded =
                Futures.timeout(Futures.shield(operation), Duration.ZERO, SystemClock.INSTANCE);
        assertThatThrownBy(() -> bounded.get(5, TimeUnit.SECONDS)).cause().isInstanceOf(TimeoutException.class);
        assertThat(operation).isNotDone();
    }

    @Test
    void delayedCancellationTakesEffectOnlyOnceTheOperationFinishes() {
        CompletableFuture<String> operation = new CompletableFuture<>();
        CompletableFuture<String> delayed = Futures.delayCancellation(operation);
        assertThat(delayed.cancel(true)).isTrue();
        assertThat(delayed).isNotDone();
        assertThat(operation).isNotDone();
        operation.complete("written");
        assertThat(delayed).isCancelled();
        assertThatThrownBy(delayed::join).isInstanceOf(CancellationException.class);
        assertThat(operation.join()).isEqualTo("written");
    }

    @Test
    void delayedCancellationWithoutCancelMirrorsTheOperation() {
        CompletableFuture<String> operation = new CompletableFuture<>();
        CompletableFuture<String> delayed = Futures.delayCancellation(operation);
        operation.complete("value");
        assertThat(delayed.join()).isEqualTo("value");
        assertThat(delayed.cancel(true)).isFalse();
    }

    @Test
    void awaitRethrowsTheCauseUnchecked() {
        IllegalStateException boom = new IllegalStateException("boom");
        assertThatThrownBy(() -> Futures.await(CompletableFuture.failedFuture(boom)))
                .isSameAs(boom);
    }
}
