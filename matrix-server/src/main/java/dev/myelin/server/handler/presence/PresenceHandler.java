package dev.myelin.server.handler.presence;

import dev.myelin.core.event.content.Membership;
import dev.myelin.core.id.RoomId;
import dev.myelin.core.id.ServerName;
import dev.myelin.core.id.UserId;
import dev.myelin.core.time.Clock;
import dev.myelin.http.error.MatrixException;
import dev.myelin.server.handler.sync.Notifier;
import dev.myelin.storage.account.UserStore;
import dev.myelin.storage.state.StateStore;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Predicate;

/**
 * Presence of local users, and of other servers' users as their servers report it, in memory (per
 * process, lost on restart, as presence is ephemeral).
 * Every change of state or status message takes the next position of the presence stream, which
 * {@code /sync} tokens carry, and wakes the syncs of everyone who shares a room with the user.
 * Activity alone (a sync that keeps an online user online) only refreshes {@code last_active_ago}:
 * it is no change, so idle syncs do not wake each other.
 *
 * @see <a href="https://spec.matrix.org/v1.19/client-server-api/#presence">Presence</a>
 */
public final class PresenceHandler {
    /** Longest accepted {@code status_msg}, in characters; Synapse has no limit, but the spec's event size does. */
    public static final int MAX_STATUS_MSG = 1024;
    /** The most other servers' users whose presence is kept, so other servers cannot fill the memory. */
    static final int MAX_REMOTE_USERS = 100_000;

    private final ServerName self;
    private final boolean enabled;
    private final Clock clock;
    private final StateStore stateStore;
    private final UserStore userStore;
    private final Notifier notifier;
    private final ReentrantLock lock = new ReentrantLock();
    private final Map<UserId, PresenceStatus> statuses = new HashMap<>();
    private final List<PresenceListener> listeners = new CopyOnWriteArrayList<>();
    private long position;
    private int remoteCount;

    /**
     * @param enabled whether presence is tracked at all ({@code presence.enabled}): when not, every
     *     user reads as offline, nothing changes that, and other servers' reports are ignored
     */
    public PresenceHandler(
            ServerName self,
            boolean enabled,
            Clock clock,
            StateStore stateStore,
            UserStore userStore,
            Notifier notifier) {
        this.self = self;
        this.enabled = enabled;
        this.clock = clock;
        this.stateStore = stateStore;
        this.userStore = userStore;
        this.notifier = notifier;
    }

    /** Where presence changes go when another process of this homeserver keeps presence. */
    public interface Forwarder {
        void update(UserId user, PresenceState state, Optional<String> statusMsg, boolean replaceStatusMsg);
    }

    /** Hears every status this process changes, with its position (for the other processes). */
    public interface Replicator {
        void changed(PresenceStatus status);
    }

    /** How often a sync elsewhere refreshes an unchanged presence at the process that keeps it. */
    private static final long FORWARD_REFRESH_MILLIS = 60_000;

    private final List<Replicator> replicators = new CopyOnWriteArrayList<>();
    private volatile Forwarder forwarder;

    /** Sends this process's presence changes to {@code forwarder} instead of keeping them; for start-up. */
    public void forwardTo(Forwarder forwarder) {
        this.forwarder = forwarder;
    }

    /** Adds a replicator; for start-up. */
    public void addReplicator(Replicator replicator) {
        replicators.add(replicator);
    }

    /**
     * A status as the process that keeps presence set it: this process serves {@code /sync} and
     * {@code GET /presence} from such copies.
     */
    public void applyReplicated(PresenceStatus status) {
        lock.lock();
        try {
            statuses.put(status.user(), status);
            position = Math.max(position, status.position());
        } finally {
            lock.unlock();
        }
        notifier.wakeHere(List.of(status.user()), List.copyOf(stateStore.roomsForUser(status.user(), Membership.JOIN)));
    }

    /** {@link #update} as asked by another process of this homeserver. */
    public void updateForwarded(UserId user, PresenceState state, Optional<String> statusMsg, boolean replace) {
        update(user, state, statusMsg, replace);
        // also when nothing but the time of activity moved: the asking process's copy learns it
        PresenceStatus now = current(user);
        replicators.forEach(r -> r.changed(now));
    }

    /** Adds a listener told of each change of a local user's presence; for start-up. */
    public void addListener(PresenceListener listener) {
        listeners.add(listener);
    }

    /**
     * Records the presence another server reports for one of its users; listeners do not hear of
     * it. It may come before the room they share with this server's users is stored here (a server
     * sends its users' presence as soon as it accepts a join), so it is kept for any user, up to
     * {@value #MAX_REMOTE_USERS} of them; who sees it is decided when it is read.
     *
     * @param lastActiveAgo how long ago the user was last active, by the other server's account
     * @return whether it was recorded
     */
    public boolean setRemote(UserId user, PresenceState state, Optional<String> statusMsg, long lastActiveAgo) {
        if (!enabled || user.server().equals(self)) {
            return false;
        }
        long lastActive = Math.max(1, clock.nowMillis() - Math.max(0, lastActiveAgo));
        lock.lock();
        try {
            if (!statuses.containsKey(user)) {
                if (remoteCount >= MAX_REMOTE_USERS) {
                    return false;
                }
                remoteCount++;
            }
            statuses.put(user, new PresenceStatus(user, state, statusMsg, lastActive, ++position));
        } finally {
            lock.unlock();
        }
        stateStore.roomsForUser(user, Membership.JOIN).forEach(notifier::wakeRoom);
        PresenceStatus now = current(user);
        replicators.forEach(r -> r.changed(now));
        return true;
    }

    /** {@code PUT /presence/{userId}/status}: sets the state and replaces (or clears) the status message. */
    public void set(UserId user, PresenceState state, Optional<String> statusMsg) {
        if (statusMsg.filter(m -> m.length() > MAX_STATUS_MSG).isPresent()) {
            throw MatrixException.invalidParam("status_msg", "longer than " + MAX_STATUS_MSG + " characters");
        }
        update(user, state, statusMsg, true);
    }

    /**
     * A sync with {@code set_presence}: absent means online, {@code offline} leaves the presence
     * alone (the client does not want to be marked online), {@code unavailable} marks it idle.
     */
    public void syncing(UserId user, Optional<PresenceState> setPresence) {
        PresenceState state = setPresence.orElse(PresenceState.ONLINE);
        if (state == PresenceState.OFFLINE) {
            return;
        }
        update(user, state, Optional.empty(), false);
    }

    private void update(UserId user, PresenceState state, Optional<String> statusMsg, boolean replaceStatusMsg) {
        if (!enabled) {
            return;
        }
        Forwarder elsewhere = forwarder;
        if (elsewhere != null) {
            PresenceStatus known = current(user);
            boolean same = known.state() == state
                    && (!replaceStatusMsg || known.statusMsg().equals(statusMsg))
                    && clock.nowMillis() - known.lastActiveMillis() < FORWARD_REFRESH_MILLIS;
            if (!same || replaceStatusMsg) {
                elsewhere.update(user, state, statusMsg, replaceStatusMsg);
            }
            return;
        }
        boolean changed;
        lock.lock();
        try {
            PresenceStatus previous = statuses.getOrDefault(user, PresenceStatus.initial(user));
            Optional<String> msg = replaceStatusMsg ? statusMsg : previous.statusMsg();
            changed = previous.state() != state || !previous.statusMsg().equals(msg) || previous.position() == 0;
            long lastActive = state == PresenceState.OFFLINE ? previous.lastActiveMillis() : clock.nowMillis();
            statuses.put(
                    user, new PresenceStatus(user, state, msg, lastActive, changed ? ++position : previous.position()));
        } finally {
            lock.unlock();
        }
        if (changed) {
            notifier.wakeUser(user);
            stateStore.roomsForUser(user, Membership.JOIN).forEach(notifier::wakeRoom);
            PresenceStatus now = current(user);
            listeners.forEach(l -> l.onPresence(now));
            replicators.forEach(r -> r.changed(now));
        }
    }

    /**
     * {@code GET /presence/{userId}/status} as {@code viewer} sees it: 404 for local users this
     * server does not have and for other servers' users who share no room with the viewer, 403
     * for local users who share none.
     */
    public PresenceStatus get(UserId viewer, UserId user) {
        boolean local = user.server().equals(self);
        if (local && userStore.get(user).filter(a -> !a.deactivated()).isEmpty()) {
            throw MatrixException.notFound("Unknown user " + user);
        }
        if (!viewer.equals(user) && !sharesRoom(viewer, user)) {
            // another server's user is known here only through a shared room
            throw local
                    ? MatrixException.forbidden("You are not allowed to see their presence")
                    : MatrixException.notFound("Unknown user " + user);
        }
        return current(user);
    }

    /** The presence stream's position. */
    public long currentPosition() {
        lock.lock();
        try {
            return position;
        } finally {
            lock.unlock();
        }
    }

    /**
     * What {@code viewer} should hear of in a sync: the statuses changed after {@code since} (and
     * no later than {@code upTo}) of users who share a joined room with them, the viewer included,
     * in stream order.
     */
    public List<PresenceStatus> changesFor(UserId viewer, List<RoomId> viewerRooms, long since, long upTo) {
        if (since >= upTo) {
            return List.of(); // the common case of a woken sync: nobody's presence moved
        }
        List<PresenceStatus> changed = new ArrayList<>();
        lock.lock();
        try {
            statuses.values().stream()
                    .filter(s -> s.position() > since && s.position() <= upTo)
                    .forEach(changed::add);
        } finally {
            lock.unlock();
        }
        changed.sort((a, b) -> Long.compare(a.position(), b.position()));
        if (changed.isEmpty()) {
            return List.of();
        }
        // whoever shares a room: from the viewer's few rooms when many users changed (a burst of
        // users coming online), else from each changed user's rooms
        Predicate<UserId> sharesRoom;
        if (changed.size() > viewerRooms.size()) {
            Set<UserId> sharing = new HashSet<>();
            viewerRooms.forEach(room -> sharing.addAll(stateStore.joinedMembers(room)));
            sharesRoom = sharing::contains;
        } else {
            Set<RoomId> rooms = new HashSet<>(viewerRooms);
            sharesRoom = user ->
                    stateStore.roomsForUser(user, Membership.JOIN).stream().anyMatch(rooms::contains);
        }
        List<PresenceStatus> out = new ArrayList<>();
        for (PresenceStatus status : changed) {
            if (status.user().equals(viewer) || sharesRoom.test(status.user())) {
                out.add(status);
            }
        }
        return out;
    }

    /**
     * {@code user}'s presence as last set (offline, never active, when never set), without the
     * shared-room check of {@link #get}: for callers that decided already who may see it.
     */
    public PresenceStatus current(UserId user) {
        lock.lock();
        try {
            return statuses.getOrDefault(user, PresenceStatus.initial(user));
        } finally {
            lock.unlock();
        }
    }

    private boolean sharesRoom(UserId a, UserId b) {
        Set<RoomId> rooms = new HashSet<>(stateStore.roomsForUser(a, Membership.JOIN));
        return stateStore.roomsForUser(b, Membership.JOIN).stream().anyMatch(rooms::contains);
    }
}
