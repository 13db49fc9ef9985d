package dev.myelin.core.concurrent;

import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.Lock;
import java.util.concurrent.locks.ReentrantLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;

/**
 * A read/write lock per key: any number of readers of a key at once, or one writer.
 *
 * <p>Used where many operations may read a thing concurrently but a change to it must be
 * exclusive, for example reading a room's state while a state change is being applied. Each key
 * is a fair lock: a waiting writer is granted before readers that arrive after it, so a steady
 * stream of readers cannot starve writers. A key's lock exists only while someone holds or
 * waits for it.
 *
 * <p>Handles are owned by the thread that acquired them and must be closed on that thread, which
 * is the natural shape for blocking code on virtual threads. A thread may take a read lock it
 * already holds again, but must not ask for the write lock while holding the read lock of the
 * same key (that would wait for itself forever).
 *
 * <pre>{@code
 * try (KeyedReadWriteLock.Handle h = roomStateLock.write(roomId)) {
 *     applyStateChange(roomId);
 * }
 * }</pre>
 */
public final class KeyedReadWriteLock {

    private final String name;
    private final ReentrantLock lock = new ReentrantLock();
    private final Map<Object, Entry> entries = new HashMap<>();

    /** A lock set named {@code name} (for diagnostics). */
    public KeyedReadWriteLock(String name) {
        this.name = Objects.requireNonNull(name, "name");
    }

    /** A held read or write lock; closing it releases the lock. Closing twice is harmless. */
    public interface Handle extends AutoCloseable {
        /** Releases the lock. */
        @Override
        void close();
    }

    /**
     * Blocks until {@code key} can be read (no writer holds it or is waiting ahead of us).
     *
     * @throws InterruptedException if interrupted while waiting; nothing is then held
     */
    public Handle read(Object key) throws InterruptedException {
        return acquire(key, false);
    }

    /**
     * Blocks until {@code key} can be written (nobody else holds it).
     *
     * @throws InterruptedException if interrupted while waiting; nothing is then held
     */
    public Handle write(Object key) throws InterruptedException {
        return acquire(key, true);
    }

    private Handle acquire(Object key, boolean exclusive) throws InterruptedException {
        Objects.requireNonNull(key, "key");
        Entry entry;
        lock.lock();
        try {
            entry = entries.computeIfAbsent(key, k -> new Entry());
            entry.users++;
        } finally {
            lock.unlock();
        }
        Lock target = exclusive ? entry.rw.writeLock() : entry.rw.readLock();
        try {
            target.lockInterruptibly();
        } catch (InterruptedException e) {
            unreference(key, entry);
            throw e;
        }
        return new HeldHandle(key, entry, target);
    }

    private void unreference(Object key, Entry entry) {
        lock.lock();
        try {
            if (--entry.users == 0) {
                entries.remove(key, entry);
            }
        } finally {
            lock.unlock();
        }
    }

    /** How many keys are currently held or waited on; for tests and metrics. */
    public int activeKeys() {
        lock.lock();
        try {
            return entries.size();
        } finally {
            lock.unlock();
        }
    }

    /** How many threads are waiting for {@code key}; for tests and diagnostics. */
    public int queueLength(Object key) {
        lock.lock();
        try {
            Entry entry = entries.get(key);
            return entry == null ? 0 : entry.rw.getQueueLength();
        } finally {
            lock.unlock();
        }
    }

    @Override
    public String toString() {
        return "KeyedReadWriteLock[" + name + "]";
    }

    private static final class Entry {
        final ReentrantReadWriteLock rw = new ReentrantReadWriteLock(true);
        /** Holders plus waiters; guarded by the outer lock. */
        int users;
    }

    private final class HeldHandle implements Handle {
        private final Object key;
        private final Entry entry;
        private final Lock held;
        private final AtomicBoolean released = new AtomicBoolean();

        HeldHandle(Object key, Entry entry, Lock held) {
            this.key = key;
            this.entry = entry;
            this.held = held;
        }

        @Override
        public void close() {
            if (released.compareAndSet(false, true)) {
                held.unlock();
                unreference(key, entry);
            }
        }
    }
}
