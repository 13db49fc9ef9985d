package dev.myelin.core.concurrent;

import dev.myelin.core.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Sleeps that end early when someone calls {@link #wake(Object)} for the same key.
 *
 * <p>Used for retry loops that back off but should retry at once when the reason to wait goes
 * away: a federation sender backing off from a server that has just sent us a transaction, a
 * worker waiting for a stream position that has just been reached. The timeout is measured on the
 * {@link Clock}, so a fake clock drives it in tests.
 *
 * <pre>{@code
 * boolean woken = sleeper.sleep(destination, Duration.ofMinutes(1));
 * // elsewhere, when the destination comes back:
 * sleeper.wake(destination);
 * }</pre>
 */
public final class AwakenableSleeper {

    private final Clock clock;
    private final ReentrantLock lock = new ReentrantLock();
    private final Map<Object, Set<CompletableFuture<Boolean>>> sleepers = new HashMap<>();

    /** A sleeper timed by {@code clock}. */
    public AwakenableSleeper(Clock clock) {
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /**
     * Blocks until {@link #wake(Object) wake(key)} is called or {@code timeout} has passed on the
     * clock, whichever is first.
     *
     * @return {@code true} if woken, {@code false} if the timeout passed
     * @throws InterruptedException if the thread is interrupted while sleeping
     */
    public boolean sleep(Object key, Duration timeout) throws InterruptedException {
        Objects.requireNonNull(key, "key");
        CompletableFuture<Boolean> outcome = new CompletableFuture<>();
        lock.lock();
        try {
            sleepers.computeIfAbsent(key, k -> new LinkedHashSet<>()).add(outcome);
        } finally {
            lock.unlock();
        }
        Thread timer = Thread.ofVirtual().name("awakenable-sleeper-timer").start(() -> {
            try {
                clock.sleep(timeout);
                outcome.complete(false);
            } catch (InterruptedException e) {
                // the sleep ended another way
            }
        });
        try {
            return outcome.get();
        } catch (ExecutionException e) {
            throw new IllegalStateException("sleep outcomes never fail", e);
        } finally {
            timer.interrupt();
            lock.lock();
            try {
                Set<CompletableFuture<Boolean>> forKey = sleepers.get(key);
                if (forKey != null && forKey.remove(outcome) && forKey.isEmpty()) {
                    sleepers.remove(key);
                }
            } finally {
                lock.unlock();
            }
        }
    }

    /** Ends every current sleep on {@code key}. A later sleep on the key is not affected. */
    public void wake(Object key) {
        Set<CompletableFuture<Boolean>> woken;
        lock.lock();
        try {
            woken = sleepers.remove(key);
        } finally {
            lock.unlock();
        }
        if (woken != null) {
            woken.forEach(f -> f.complete(true));
        }
    }

    /** How many keys have sleepers right now; for tests and metrics. */
    public int sleepingKeys() {
        lock.lock();
        try {
            return sleepers.size();
        } finally {
            lock.unlock();
        }
    }
}
