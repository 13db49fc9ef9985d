package dev.myelin.server.handler.typing;

import dev.myelin.core.id.RoomId;
import dev.myelin.core.id.UserId;
import dev.myelin.core.time.Clock;
import dev.myelin.http.error.MatrixException;
import dev.myelin.server.handler.sync.Notifier;
import dev.myelin.storage.state.StateStore;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Who is typing where, in memory only (typing is ephemeral and not worth a write). Each change
 * takes the next position of the typing stream, which {@code /sync} tokens carry; a typing entry
 * expires on the injected {@link Clock} after the timeout its client gave, which is also a change.
 *
 * @see <a href="https://spec.matrix.org/v1.19/client-server-api/#typing-notifications">Typing notifications</a>
 */
public final class TypingHandler {
    /** Used when a client starts typing without a timeout. */
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(30);
    /** Longer timeouts are shortened to this, so a vanished client cannot leave a user typing for days. */
    public static final Duration MAX_TIMEOUT = Duration.ofMinutes(5);

    private final Clock clock;
    private final StateStore stateStore;
    private final Notifier notifier;
    private final ReentrantLock lock = new ReentrantLock();
    private final Map<RoomId, RoomTyping> rooms = new HashMap<>();
    private final List<TypingListener> listeners = new CopyOnWriteArrayList<>();
    private final List<Replicator> replicators = new CopyOnWriteArrayList<>();
    private long position;

    /** Hears who types in a room after every change here, with the typing stream's position (for other processes). */
    public interface Replicator {
        void changed(RoomId room, List<UserId> typing, long position);
    }

    /** Adds a replicator; for start-up. */
    public void addReplicator(Replicator replicator) {
        replicators.add(replicator);
    }

    /** Where typing changes go when another process of this homeserver handles typing. */
    public interface Forwarder {
        void typing(RoomId room, UserId user, boolean typing, Duration timeout);
    }

    private volatile Forwarder forwarder;

    /** Sends local users' typing to {@code forwarder} instead of handling it here; for start-up. */
    public void forwardTo(Forwarder forwarder) {
        this.forwarder = forwarder;
    }

    /**
     * Who types in {@code room} as the process that handles typing says, at its position {@code token}:
     * this process serves {@code /sync} from it. Such entries never expire here; the typing process
     * sends their end.
     */
    public void applyReplicated(RoomId room, List<UserId> typing, long token) {
        lock.lock();
        try {
            RoomTyping state = rooms.computeIfAbsent(room, r -> new RoomTyping());
            state.users.clear();
            // a backstop: the typing process sends the end of each typist, unless that was lost
            long deadline = clock.monotonicNanos() + MAX_TIMEOUT.toNanos();
            typing.forEach(user -> state.users.put(user, new Typist(deadline, null)));
            position = Math.max(position, token);
            state.lastChange = position;
        } finally {
            lock.unlock();
        }
        notifier.wakeHere(List.of(), List.of(room));
    }

    /** Tells the replicators who types in every room where someone does (for a process that asks again). */
    public void replicateAll() {
        List<RoomId> busy;
        lock.lock();
        try {
            busy = rooms.entrySet().stream()
                    .filter(e -> !e.getValue().users.isEmpty())
                    .map(Map.Entry::getKey)
                    .toList();
        } finally {
            lock.unlock();
        }
        busy.forEach(this::replicate);
    }

    private void replicate(RoomId room) {
        if (replicators.isEmpty()) {
            return;
        }
        List<UserId> now;
        long at;
        lock.lock();
        try {
            RoomTyping state = rooms.get(room);
            now = state == null ? List.of() : List.copyOf(state.users.keySet());
            at = position;
        } finally {
            lock.unlock();
        }
        replicators.forEach(r -> r.changed(room, now, at));
    }

    private record Typist(long deadlineNanos, Thread expiry) {}

    private static final class RoomTyping {
        final Map<UserId, Typist> users = new HashMap<>();
        long lastChange;
    }

    public TypingHandler(Clock clock, StateStore stateStore, Notifier notifier) {
        this.clock = clock;
        this.stateStore = stateStore;
        this.notifier = notifier;
    }

    /** Adds a listener told of each change a local user makes ({@link #setTyping}); for start-up. */
    public void addListener(TypingListener listener) {
        listeners.add(listener);
    }

    /**
     * Starts or stops {@code user} typing in {@code room}, a local user's change that listeners
     * hear of; 403 unless they are joined to it.
     */
    public void setTyping(RoomId room, UserId user, boolean typing, Duration timeout) {
        if (!stateStore.joinedMembers(room).contains(user)) {
            throw MatrixException.forbidden("You are not joined to " + room);
        }
        Forwarder elsewhere = forwarder;
        if (elsewhere != null) {
            elsewhere.typing(room, user, typing, timeout);
            return;
        }
        if (apply(room, user, typing, timeout)) {
            listeners.forEach(l -> l.onTyping(room, user, typing));
        }
    }

    /**
     * Starts or stops typing that another server reports for one of its users, who must be joined
     * to {@code room} (else nothing changes); listeners do not hear of it.
     *
     * @return whether anything changed
     */
    public boolean setRemoteTyping(RoomId room, UserId user, boolean typing, Duration timeout) {
        return stateStore.joinedMembers(room).contains(user) && apply(room, user, typing, timeout);
    }

    private boolean apply(RoomId room, UserId user, boolean typing, Duration timeout) {
        lock.lock();
        try {
            RoomTyping state = rooms.computeIfAbsent(room, r -> new RoomTyping());
            Typist previous = state.users.remove(user);
            if (previous != null && previous.expiry() != null) {
                previous.expiry().interrupt();
            }
            if (typing) {
                Duration bounded = timeout.compareTo(MAX_TIMEOUT) > 0 ? MAX_TIMEOUT : timeout;
                long deadline = clock.monotonicNanos() + bounded.toNanos();
                Thread expiry =
                        Thread.ofVirtual().name("typing-expiry").unstarted(() -> expireAt(room, user, deadline));
                state.users.put(user, new Typist(deadline, expiry));
                expiry.start();
            } else if (previous == null) {
                return false; // stopping while not typing changes nothing
            }
            state.lastChange = ++position;
        } finally {
            lock.unlock();
        }
        notifier.wakeRoom(room);
        replicate(room);
        return true;
    }

    private void expireAt(RoomId room, UserId user, long deadline) {
        try {
            clock.sleepUntil(deadline);
        } catch (InterruptedException e) {
            return; // replaced or stopped
        }
        lock.lock();
        try {
            RoomTyping state = rooms.get(room);
            Typist current = state == null ? null : state.users.get(user);
            if (current == null || current.deadlineNanos() != deadline) {
                return;
            }
            state.users.remove(user);
            state.lastChange = ++position;
        } finally {
            lock.unlock();
        }
        notifier.wakeRoom(room);
        replicate(room);
    }

    /** The typing stream's position. */
    public long currentPosition() {
        List<RoomId> expired;
        long current;
        lock.lock();
        try {
            expired = expireDueLocked();
            current = position;
        } finally {
            lock.unlock();
        }
        expired.forEach(notifier::wakeRoom);
        expired.forEach(this::replicate);
        return current;
    }

    /** Whether who is typing in {@code room} changed after typing stream position {@code since}. */
    public boolean changedSince(RoomId room, long since) {
        lock.lock();
        try {
            RoomTyping state = rooms.get(room);
            return state != null && state.lastChange > since;
        } finally {
            lock.unlock();
        }
    }

    /** The users typing in {@code room} now, sorted. */
    public List<UserId> typing(RoomId room) {
        lock.lock();
        try {
            RoomTyping state = rooms.get(room);
            return state == null
                    ? List.of()
                    : state.users.keySet().stream().sorted().toList();
        } finally {
            lock.unlock();
        }
    }

    /**
     * Removes entries whose deadline has passed on the clock, so a reader never sees a typist whose
     * expiry thread has not run yet; returns the rooms that changed.
     */
    private List<RoomId> expireDueLocked() {
        long now = clock.monotonicNanos();
        List<RoomId> changed = new ArrayList<>();
        rooms.forEach((room, state) -> {
            if (state.users.values().removeIf(t -> t.deadlineNanos() <= now)) {
                state.lastChange = ++position;
                changed.add(room);
            }
        });
        return changed;
    }
}
