package dev.myelin.core.concurrent;

import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Limits how many callers may work on the same key at once, queueing the rest in arrival order.
 *
 * <p>Used where concurrent work on one thing must be serialised (or bounded) while work on
 * different things runs in parallel: persisting events into one room, fetching keys from one
 * server, handling one user's registration. With the default limit of one, it is a per-key mutex
 * that is fair and not tied to a thread.
 *
 * <pre>{@code
 * Linearizer roomLinearizer = new Linearizer("persist-event");
 * try (Linearizer.Permit permit = roomLinearizer.acquire(roomId)) {
 *     // at most one thread per room gets here at a time
 * }
 * }</pre>
 *
 * <p>Waiters are granted the key strictly first-in, first-out. A waiter that gives up (its thread
 * is interrupted, or its {@link #acquireAsync future} is cancelled) leaves the queue without
 * taking a slot or holding up those behind it. A key with no holders and no waiters is forgotten,
 * so the linearizer's memory is bounded by the keys in use, not by the keys ever seen. Keys are
 * compared with {@code equals}.
 */
public final class Linearizer {

    private final String name;
    private final int maxHolders;
    private final ReentrantLock lock = new ReentrantLock();
    private final Map<Object, KeyState> keys = new HashMap<>();

    /** A linearizer that lets one holder per key in at a time. */
    public Linearizer(String name) {
        this(name, 1);
    }

    /** A linearizer that lets up to {@code maxHolders} holders per key in at a time. */
    public Linearizer(String name, int maxHolders) {
        this.name = Objects.requireNonNull(name, "name");
        if (maxHolders < 1) {
            throw new IllegalArgumentException("maxHolders must be at least 1: " + maxHolders);
        }
        this.maxHolders = maxHolders;
    }

    /** A held slot on a key; closing it lets the next waiter in. Closing twice is harmless. */
    public interface Permit extends AutoCloseable {
        /** Releases the slot. */
        @Override
        void close();
    }

    /**
     * Blocks until a slot on {@code key} is free and returns it.
     *
     * @throws InterruptedException if the thread is interrupted while queued; it then holds
     *     nothing and has left the queue
     */
    public Permit acquire(Object key) throws InterruptedException {
        CompletableFuture<Permit> pending = acquireAsync(key);
        try {
            return pending.get();
        } catch (InterruptedException e) {
            if (!pending.cancel(false)) {
                // granted while we were being interrupted: give the slot back
                pending.join().close();
            }
            throw e;
        } catch (ExecutionException e) {
            throw new IllegalStateException("permit futures never fail", e);
        }
    }

    /**
     * Returns a future that completes with a slot on {@code key} once one is free. Cancelling the
     * future before it completes withdraws from the queue; if it completes concurrently with the
     * cancel, the slot is handed on, so it never leaks.
     */
    public CompletableFuture<Permit> acquireAsync(Object key) {
        Objects.requireNonNull(key, "key");
        Waiter waiter;
        lock.lock();
        try {
            KeyState state = keys.computeIfAbsent(key, k -> new KeyState());
            if (state.holders < maxHolders && state.queue.isEmpty()) {
                state.holders++;
                return CompletableFuture.completedFuture(new HeldPermit(key));
            }
            waiter = new Waiter(key);
            state.queue.addLast(waiter);
        } finally {
            lock.unlock();
        }
        waiter.future.whenComplete((permit, failure) -> {
            if (failure instanceof CancellationException) {
                withdraw(waiter);
            }
        });
        return waiter.future;
    }

    private void withdraw(Waiter waiter) {
        lock.lock();
        try {
            KeyState state = keys.get(waiter.key);
            if (state != null && state.queue.remove(waiter)) {
                forgetIfIdle(waiter.key, state);
            }
        } finally {
            lock.unlock();
        }
    }

    private void release(Object key) {
        Waiter next;
        lock.lock();
        try {
            KeyState state = keys.get(key);
            if (state == null) {
                throw new IllegalStateException("released a key that is not held: " + key);
            }
            next = state.queue.pollFirst();
            if (next == null) {
                state.holders--;
                forgetIfIdle(key, state);
                return;
            }
            // the slot passes straight to the next waiter, so holders stays the same
        } finally {
            lock.unlock();
        }
        // complete outside the lock: completion runs the waiter's callbacks
        HeldPermit permit = new HeldPermit(key);
        if (!next.future.complete(permit)) {
            // the waiter was cancelled after we took it off the queue: pass the slot on
            permit.close();
        }
    }

    private void forgetIfIdle(Object key, KeyState state) {
        if (state.holders == 0 && state.queue.isEmpty()) {
            keys.remove(key);
        }
    }

    /** How many keys are currently held or waited on; for tests and metrics. */
    public int activeKeys() {
        lock.lock();
        try {
            return keys.size();
        } finally {
            lock.unlock();
        }
    }

    /** How many callers are queued on {@code key} (not counting holders). */
    public int waiting(Object key) {
        lock.lock();
        try {
            KeyState state = keys.get(key);
            return state == null ? 0 : state.queue.size();
        } finally {
            lock.unlock();
        }
    }

    @Override
    public String toString() {
        return "Linearizer[" + name + ", max " + maxHolders + " per key]";
    }

    private static final class KeyState {
        int holders;
        final ArrayDeque<Waiter> queue = new ArrayDeque<>();
    }

    private static final class Waiter {
        final Object key;
        final CompletableFuture<Permit> future = new CompletableFuture<>();

        Waiter(Object key) {
            this.key = key;
        }
    }

    private final class HeldPermit implements Permit {
        private final Object key;
        private final AtomicBoolean released = new AtomicBoolean();

        HeldPermit(Object key) {
            this.key = key;
        }

        @Override
        public void close() {
            if (released.compareAndSet(false, true)) {
                release(key);
            }
        }
    }
}
