package dev.myelin.core.concurrent;

import dev.myelin.core.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Helpers for the places where work fans out into {@link CompletableFuture}s: waiting for all of
 * them, bounding a wait by time on a {@link Clock}, and protecting an operation from a caller's
 * cancellation.
 *
 * <p>Plain blocking code on virtual threads is the default in Myelin; these exist for the
 * remaining cases (parallel federation requests, cache lookups shared between callers).
 */
public final class Futures {

    private Futures() {}

    /**
     * Completes with all results, in the order of {@code futures}, once every future has
     * succeeded; or fails as soon as any one fails, with that failure (unwrapped from {@link
     * CompletionException}), cancelling the others. Cancelling the returned future cancels every
     * input.
     */
    public static <T> CompletableFuture<List<T>> gather(List<? extends CompletableFuture<? extends T>> futures) {
        List<CompletableFuture<? extends T>> inputs = List.copyOf(futures);
        CompletableFuture<List<T>> result = new CompletableFuture<>();
        if (inputs.isEmpty()) {
            result.complete(List.of());
            return result;
        }
        AtomicInteger remaining = new AtomicInteger(inputs.size());
        AtomicBoolean failed = new AtomicBoolean();
        for (CompletableFuture<? extends T> input : inputs) {
            input.whenComplete((value, failure) -> {
                if (failure != null) {
                    // cancel the rest before reporting, so a caller that sees the failure
                    // also sees them cancelled; their own callbacks then lose the race
                    if (failed.compareAndSet(false, true)) {
                        inputs.forEach(f -> f.cancel(false));
                        result.completeExceptionally(unwrap(failure));
                    }
                } else if (remaining.decrementAndGet() == 0) {
                    List<T> values = new ArrayList<>(inputs.size());
                    inputs.forEach(f -> values.add(f.join()));
                    result.complete(values);
                }
            });
        }
        result.whenComplete((values, failure) -> {
            if (failure instanceof CancellationException) {
                inputs.forEach(f -> f.cancel(false));
            }
        });
        return result;
    }

    /**
     * Returns a future that mirrors {@code future} but fails with a {@link TimeoutException} if
     * it has not completed after {@code timeout} on {@code clock}. On timeout the input is
     * cancelled (wrap it in {@link #shield} first to let it carry on); cancelling the returned
     * future cancels the input too. The clock wait happens on a virtual thread that ends as soon
     * as the input completes.
     */
    public static <T> CompletableFuture<T> timeout(CompletableFuture<T> future, Duration timeout, Clock clock) {
        Objects.requireNonNull(future, "future");
        Objects.requireNonNull(timeout, "timeout");
        Objects.requireNonNull(clock, "clock");
        CompletableFuture<T> result = new CompletableFuture<>();
        AtomicReference<TimeoutException> timedOut = new AtomicReference<>();
        Thread timer = Thread.ofVirtual().name("future-timeout").start(() -> {
            try {
                clock.sleep(timeout);
            } catch (InterruptedException e) {
                return;
            }
            TimeoutException failure = new TimeoutException("timed out after " + timeout);
            timedOut.set(failure);
            // cancel first, so the input is cancelled by the time a caller sees the timeout
            future.cancel(false);
            result.completeExceptionally(failure);
        });
        future.whenComplete((value, failure) -> {
            TimeoutException timeoutFailure = timedOut.get();
            if (timeoutFailure != null && failure instanceof CancellationException) {
                result.completeExceptionally(timeoutFailure);
            } else if (failure != null) {
                result.completeExceptionally(unwrap(failure));
            } else {
                result.complete(value);
            }
            timer.interrupt();
        });
        result.whenComplete((value, failure) -> {
            if (failure instanceof CancellationException) {
                future.cancel(false);
                timer.interrupt();
            }
        });
        return result;
    }

    /**
     * Returns a future that mirrors {@code future}, except that cancelling it leaves {@code
     * future} running to completion. The caller stops waiting at once; the operation (a database
     * write, say, that must not be abandoned half way) is unaffected.
     */
    public static <T> CompletableFuture<T> shield(CompletableFuture<T> future) {
        CompletableFuture<T> result = new CompletableFuture<>();
        future.whenComplete((value, failure) -> {
            if (failure != null) {
                result.completeExceptionally(unwrap(failure));
            } else {
                result.complete(value);
            }
        });
        return result;
    }

    /**
     * Returns a future that mirrors {@code future} and defers any cancellation of it until {@code
     * future} has completed. A {@code cancel} call on the returned future leaves {@code future}
     * running, returns {@code true}, and the returned future then completes with a {@link
     * CancellationException} only once the operation has finished; until then it is not {@link
     * CompletableFuture#isDone done}. Use it where a caller that gives up must still not proceed
     * (for example release a lock) before the work it started is over.
     */
    public static <T> CompletableFuture<T> delayCancellation(CompletableFuture<T> future) {
        DelayedCancellationFuture<T> result = new DelayedCancellationFuture<>(future);
        future.whenComplete(result::sourceCompleted);
        return result;
    }

    /**
     * Waits for {@code future} and returns its value, rethrowing its failure unchecked (the cause
     * of an {@link ExecutionException}, wrapped in a {@link CompletionException} if it is checked).
     *
     * @throws InterruptedException if the thread is interrupted while waiting
     */
    public static <T> T await(CompletableFuture<T> future) throws InterruptedException {
        try {
            return future.get();
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof RuntimeException runtime) {
                throw runtime;
            }
            if (cause instanceof Error error) {
                throw error;
            }
            throw new CompletionException(cause);
        }
    }

    static Throwable unwrap(Throwable failure) {
        Throwable current = failure;
        while ((current instanceof CompletionException || current instanceof ExecutionException)
                && current.getCause() != null) {
            current = current.getCause();
        }
        return current;
    }
}
