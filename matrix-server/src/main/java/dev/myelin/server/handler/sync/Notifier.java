package dev.myelin.server.handler.sync;

import dev.myelin.core.event.Pdu;
import dev.myelin.core.time.Clock;
import dev.myelin.server.Stores;
import dev.myelin.server.handler.room.NewEventListener;
import java.time.Duration;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Wakes long-polling {@code /sync} requests when something they may care about happens. This
 * first version wakes every waiter on every event; {@code /sync} then decides whether anything is
 * relevant and waits again if not.
 */
public final class Notifier implements NewEventListener {
    private final Clock clock;
    private final Stores stores;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();
    private long version;

    public Notifier(Clock clock, Stores stores) {
        this.clock = clock;
        this.stores = stores;
    }

    @Override
    public void onNewEvent(Pdu event, long streamOrdering) {
        wakeAll();
    }

    public void wakeAll() {
        lock.lock();
        try {
            version++;
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /** The current change counter; pass it to {@link #awaitChange} to wait for a later one. */
    public long version() {
        lock.lock();
        try {
            return version;
        } finally {
            lock.unlock();
        }
    }

    /** Waits until the counter passes {@code seen} or {@code timeout} (real time) elapses. */
    public boolean awaitChange(long seen, Duration timeout) throws InterruptedException {
        long remaining = timeout.toNanos();
        lock.lock();
        try {
            while (version <= seen) {
                if (remaining <= 0) {
                    return false;
                }
                remaining = changed.awaitNanos(remaining);
            }
            return true;
        } finally {
            lock.unlock();
        }
    }
}
