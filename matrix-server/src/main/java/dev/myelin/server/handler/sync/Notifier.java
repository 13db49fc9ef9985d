package dev.myelin.server.handler.sync;

import dev.myelin.core.event.Pdu;
import dev.myelin.core.id.InvalidIdentifierException;
import dev.myelin.core.id.RoomId;
import dev.myelin.core.id.UserId;
import dev.myelin.core.time.Clock;
import dev.myelin.server.handler.room.NewEventListener;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Wakes long-polling {@code /sync} requests when something they may care about happens, and only
 * those: a new event wakes the listeners of its room (and the target of a membership event, who
 * may not be in the room yet); account data wakes its user; typing and receipts wake their room.
 *
 * <p>A sync {@linkplain #listen registers} before it reads the streams, so a change that lands
 * between its read and its wait still wakes it: {@link Listener#await} then returns at once.
 * Timeouts are measured on the injected {@link Clock}.
 */
public final class Notifier implements NewEventListener {
    /** Hears every wake made in this process (worker replication forwards them to the others). */
    public interface WakeListener {
        void woken(List<UserId> users, List<RoomId> rooms);
    }

    private final Clock clock;
    private final List<WakeListener> wakeListeners = new CopyOnWriteArrayList<>();
    private final ReentrantLock lock = new ReentrantLock();
    private final java.util.concurrent.atomic.LongAdder wokenCount = new java.util.concurrent.atomic.LongAdder();
    private final Map<UserId, Set<Listener>> byUser = new HashMap<>();
    private final Map<RoomId, Set<Listener>> byRoom = new HashMap<>();
    private boolean shuttingDown;

    public Notifier(Clock clock) {
        this.clock = clock;
    }

    /** Adds a listener of every wake made in this process; for start-up. */
    public void addWakeListener(WakeListener listener) {
        wakeListeners.add(listener);
    }

    @Override
    public void onNewEvent(Pdu event, long streamOrdering) {
        List<UserId> users = List.of();
        if (event.type().equals("m.room.member") && event.stateKey().isPresent()) {
            try {
                users = List.of(UserId.parse(event.stateKey().get()));
            } catch (InvalidIdentifierException e) {
                // a member event of a malformed user id concerns nobody who can sync here
            }
        }
        wake(users, List.of(event.roomId()));
    }

    /** Wakes every sync of {@code user} (e.g. after an account data change). */
    public void wakeUser(UserId user) {
        wake(List.of(user), List.of());
    }

    /** Wakes every sync that follows {@code room} (e.g. after a typing or receipt change). */
    public void wakeRoom(RoomId room) {
        wake(List.of(), List.of(room));
    }

    /** Wakes the syncs of {@code users} and of {@code rooms}, and tells the wake listeners. */
    public void wake(List<UserId> users, List<RoomId> rooms) {
        wakeHere(users, rooms);
        for (WakeListener listener : wakeListeners) {
            listener.woken(users, rooms);
        }
    }

    /** Wakes the syncs of {@code users} and {@code rooms} in this process only (another process's wake). */
    public void wakeHere(List<UserId> users, List<RoomId> rooms) {
        users.forEach(user -> wake(byUser, user));
        rooms.forEach(room -> wake(byRoom, room));
    }

    /** Wakes every waiting sync here: they read again and find whatever changed (after lost replication). */
    public void wakeAll() {
        List<Listener> all;
        lock.lock();
        try {
            all = byUser.values().stream().flatMap(Set::stream).toList();
        } finally {
            lock.unlock();
        }
        for (Listener l : all) {
            if (l.outcome.complete(true)) {
                wokenCount.increment();
            }
        }
    }

    /** Starts listening for changes for {@code user} and in {@code rooms}; close it when done. */
    public Listener listen(UserId user, Iterable<RoomId> rooms) {
        Listener listener = new Listener(user, rooms);
        lock.lock();
        try {
            if (shuttingDown) {
                listener.outcome.complete(false);
            }
            byUser.computeIfAbsent(user, k -> new LinkedHashSet<>()).add(listener);
            for (RoomId room : listener.rooms) {
                byRoom.computeIfAbsent(room, k -> new LinkedHashSet<>()).add(listener);
            }
        } finally {
            lock.unlock();
        }
        return listener;
    }

    /**
     * Ends every waiting long-poll now and every later one at once, so that a graceful shutdown
     * does not wait out clients' sync timeouts.
     */
    public void shutdown() {
        List<Listener> all;
        lock.lock();
        try {
            shuttingDown = true;
            all = byUser.values().stream().flatMap(Set::stream).toList();
        } finally {
            lock.unlock();
        }
        all.forEach(l -> l.outcome.complete(false));
    }

    /** How many listeners are registered; for tests and metrics. */
    public int listenerCount() {
        lock.lock();
        try {
            return byUser.values().stream().mapToInt(Set::size).sum();
        } finally {
            lock.unlock();
        }
    }

    private <K> void wake(Map<K, Set<Listener>> index, K key) {
        List<Listener> woken;
        lock.lock();
        try {
            Set<Listener> listeners = index.get(key);
            woken = listeners == null ? List.of() : new ArrayList<>(listeners);
        } finally {
            lock.unlock();
        }
        for (Listener l : woken) {
            if (l.outcome.complete(true)) {
                wokenCount.increment();
            }
        }
    }

    /** How many long-polls were woken by something new (not by their timeout or shutdown); for metrics. */
    public long wokenCount() {
        return wokenCount.sum();
    }

    /** One sync's registration: woken at most once, then closed. */
    public final class Listener implements AutoCloseable {
        private final UserId user;
        private final List<RoomId> rooms = new ArrayList<>();
        private final CompletableFuture<Boolean> outcome = new CompletableFuture<>();

        private Listener(UserId user, Iterable<RoomId> rooms) {
            this.user = user;
            rooms.forEach(this.rooms::add);
        }

        /**
         * Blocks until this listener is woken (perhaps already) or {@code timeout} passes on the clock.
         *
         * @return whether it was woken
         */
        public boolean await(Duration timeout) throws InterruptedException {
            if (outcome.isDone() || timeout.isZero() || timeout.isNegative()) {
                return outcome.getNow(false);
            }
            Thread timer = Thread.ofVirtual().name("sync-timeout").start(() -> {
                try {
                    clock.sleep(timeout);
                    outcome.complete(false);
                } catch (InterruptedException e) {
                    // woken before the timeout
                }
            });
            try {
                return outcome.get();
            } catch (ExecutionException e) {
                throw new IllegalStateException("listener outcomes never fail", e);
            } finally {
                timer.interrupt();
            }
        }

        @Override
        public void close() {
            lock.lock();
            try {
                remove(byUser, user);
                rooms.forEach(room -> remove(byRoom, room));
            } finally {
                lock.unlock();
            }
        }

        private <K> void remove(Map<K, Set<Listener>> index, K key) {
            Set<Listener> set = index.get(key);
            if (set != null && set.remove(this) && set.isEmpty()) {
                index.remove(key);
            }
        }
    }
}
