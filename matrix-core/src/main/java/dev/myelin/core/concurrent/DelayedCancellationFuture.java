package dev.myelin.core.concurrent;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The future behind {@link Futures#delayCancellation}: a cancel request is remembered and only
 * takes effect once the source has completed.
 */
final class DelayedCancellationFuture<T> extends CompletableFuture<T> {

    private final CompletableFuture<T> source;
    private final ReentrantLock lock = new ReentrantLock();
    private boolean cancelRequested;

    DelayedCancellationFuture(CompletableFuture<T> source) {
        this.source = source;
    }

    @Override
    public boolean cancel(boolean mayInterruptIfRunning) {
        lock.lock();
        try {
            if (isDone()) {
                return isCancelled();
            }
            if (!source.isDone()) {
                cancelRequested = true;
                return true;
            }
        } finally {
            lock.unlock();
        }
        return super.cancel(mayInterruptIfRunning);
    }

    void sourceCompleted(T value, Throwable failure) {
        boolean cancel;
        lock.lock();
        try {
            cancel = cancelRequested;
        } finally {
            lock.unlock();
        }
        if (cancel) {
            super.cancel(false);
        } else if (failure != null) {
            completeExceptionally(Futures.unwrap(failure));
        } else {
            complete(value);
        }
    }

    @Override
    public <U> CompletableFuture<U> newIncompleteFuture() {
        return new CompletableFuture<>();
    }
}
