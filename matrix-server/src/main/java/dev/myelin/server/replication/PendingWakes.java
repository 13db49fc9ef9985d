package dev.myelin.server.replication;

import dev.myelin.core.id.RoomId;
import dev.myelin.core.id.UserId;
import dev.myelin.storage.stream.Stream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.ToLongFunction;

/**
 * Wakes that other processes sent and that cannot fire yet: a sync woken before this process sees the
 * positions of the change that woke it would read nothing new and wait again, missing it. Each wake
 * carries the sender's positions; it fires once this process's positions reach them.
 */
final class PendingWakes {
    /** Beyond this many waiting wakes something is badly behind: wake everything instead of remembering. */
    static final int LIMIT = 10_000;

    record Wake(List<UserId> users, List<RoomId> rooms, Map<Stream, Long> positions) {}

    interface Target {
        void wake(List<UserId> users, List<RoomId> rooms);

        void wakeAll();
    }

    private final ReentrantLock lock = new ReentrantLock();
    private final List<Wake> waiting = new ArrayList<>();
    private final ToLongFunction<Stream> current;
    private final Target target;

    PendingWakes(ToLongFunction<Stream> current, Target target) {
        this.current = current;
        this.target = target;
    }

    void add(Wake wake) {
        if (reached(wake)) {
            target.wake(wake.users(), wake.rooms());
            return;
        }
        boolean overflow;
        lock.lock();
        try {
            waiting.add(wake);
            overflow = waiting.size() > LIMIT;
            if (overflow) {
                waiting.clear();
            }
        } finally {
            lock.unlock();
        }
        if (overflow) {
            target.wakeAll();
        } else {
            fireReached(); // a position may have moved meanwhile
        }
    }

    /** Fires the waiting wakes whose positions are reached. */
    void fireReached() {
        List<Wake> due = new ArrayList<>();
        lock.lock();
        try {
            waiting.removeIf(w -> reached(w) && due.add(w));
        } finally {
            lock.unlock();
        }
        due.forEach(w -> target.wake(w.users(), w.rooms()));
    }

    int size() {
        lock.lock();
        try {
            return waiting.size();
        } finally {
            lock.unlock();
        }
    }

    private boolean reached(Wake wake) {
        for (var e : wake.positions().entrySet()) {
            if (current.applyAsLong(e.getKey()) < e.getValue()) {
                return false;
            }
        }
        return true;
    }
}
