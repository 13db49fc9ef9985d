package dev.myelin.server.handler.keys;

import dev.myelin.core.event.content.Membership;
import dev.myelin.core.id.DeviceId;
import dev.myelin.core.id.EventId;
import dev.myelin.core.id.RoomId;
import dev.myelin.core.id.UserId;
import dev.myelin.server.handler.sync.Notifier;
import dev.myelin.storage.Database;
import dev.myelin.storage.device.DeviceListStore;
import dev.myelin.storage.event.EventStore;
import dev.myelin.storage.event.StoredEvent;
import dev.myelin.storage.keys.E2eKeyStore;
import dev.myelin.storage.persist.DeviceListChanges;
import dev.myelin.storage.state.StateKey;
import dev.myelin.storage.state.StateStore;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Device list tracking: logs changes of users' devices and keys, wakes the syncs that should report them,
 * and works out, for one user and a range of sync positions, whose device lists to refetch
 * ({@code changed}) and whom the user stopped sharing every room with ({@code left}).
 *
 * @see <a href="https://spec.matrix.org/v1.19/client-server-api/#tracking-the-device-list-for-a-user">Tracking the device list for a user</a>
 */
public final class DeviceLists {
    /** How many of a room's latest events in a sync range are searched for new members. */
    private static final int MEMBERSHIP_SCAN = 100;

    /** Joins are found by comparing who shares a room at either end of the range. */
    private static final Set<String> NEW_MEMBER = Set.of("invite", "knock");

    private final DeviceListStore deviceLists;
    /** Deleting a device's keys and logging the change, in one transaction. */
    private final DeviceListChanges changes;

    private final StateStore stateStore;
    private final EventStore eventStore;
    private final Notifier notifier;
    private final List<DeviceListListener> listeners = new CopyOnWriteArrayList<>();

    public DeviceLists(
            DeviceListStore deviceLists,
            Database database,
            E2eKeyStore e2eKeys,
            StateStore stateStore,
            EventStore eventStore,
            Notifier notifier) {
        this.deviceLists = deviceLists;
        this.changes = new DeviceListChanges(database, e2eKeys, deviceLists);
        this.stateStore = stateStore;
        this.eventStore = eventStore;
        this.notifier = notifier;
    }

    /** Users to report in {@code device_lists}, each list sorted. */
    public record Changes(List<UserId> changed, List<UserId> left) {
        public Changes {
            changed = List.copyOf(changed);
            left = List.copyOf(left);
        }

        public boolean isEmpty() {
            return changed.isEmpty() && left.isEmpty();
        }
    }

    /** Adds a listener told of every later change of a local user's device list. */
    public void addListener(DeviceListListener listener) {
        listeners.add(listener);
    }

    /** A device was added (or its keys changed outside the key stores): logs it and wakes syncs. */
    public void deviceAdded(UserId user, DeviceId device) {
        deviceLists.recordChange(user, device);
        wake(user);
        listeners.forEach(l -> l.onDeviceChange(user, device, false));
    }

    /** A device's keys were uploaded anew (the key store logged the change): wakes syncs. */
    public void deviceKeysChanged(UserId user, DeviceId device) {
        wake(user);
        listeners.forEach(l -> l.onDeviceChange(user, device, false));
    }

    /**
     * {@code user}'s cross-signing keys changed (the key store logged it): wakes syncs; other
     * servers are told when {@code othersSeeIt} (not only the user-signing key changed).
     */
    public void crossSigningChanged(UserId user, boolean othersSeeIt) {
        wake(user);
        if (othersSeeIt) {
            listeners.forEach(l -> l.onCrossSigningChange(user));
        }
    }

    /**
     * {@code user} signed their own keys (the key store logged it): wakes syncs and tells the
     * listeners of each signed device, and of the cross-signing keys when {@code crossSigningKeys}.
     */
    public void ownKeysSigned(UserId user, Set<DeviceId> devices, boolean crossSigningKeys) {
        wake(user);
        devices.forEach(device -> listeners.forEach(l -> l.onDeviceChange(user, device, false)));
        if (crossSigningKeys) {
            listeners.forEach(l -> l.onCrossSigningChange(user));
        }
    }

    /**
     * Another server's user's device list changed (an update or a fetch of the whole list): logs it,
     * so the users sharing a room with them are told to fetch their keys again, and wakes syncs.
     */
    public void remoteChanged(UserId user) {
        deviceLists.recordUserChange(user);
        wake(user);
    }

    /**
     * A device was renamed: its name is part of what key queries return, so users sharing a room
     * with its owner are told to fetch its keys again. Logs it and wakes syncs.
     */
    public void deviceRenamed(UserId user, DeviceId device) {
        deviceAdded(user, device);
    }

    /** A device is being deleted: deletes its keys, logs the change in the same transaction, wakes syncs. */
    public void deviceDeleted(UserId user, DeviceId device) {
        changes.deviceDeleted(user, device);
        wake(user);
        listeners.forEach(l -> l.onDeviceChange(user, device, true));
    }

    /** Wakes the syncs of {@code user} and of everyone sharing a room with them, after a logged change. */
    public void wake(UserId user) {
        notifier.wake(List.of(user), List.copyOf(stateStore.roomsForUser(user, Membership.JOIN)));
    }

    /**
     * What changed for {@code user} between two sync positions: {@code changed} holds the users (the user
     * included) sharing a room with them now whose devices or keys changed in the device list range, and
     * those who started sharing a room with them in the events range; {@code left} those who shared a room
     * at the start of the range and share none now.
     */
    public Changes changes(UserId user, long fromEvents, long toEvents, long fromDeviceLists, long toDeviceLists) {
        List<RoomId> joined = stateStore.roomsForUser(user, Membership.JOIN);
        Set<RoomId> candidates = new LinkedHashSet<>(joined);
        for (StoredEvent e : eventStore.membershipEventsBetween(user.toString(), fromEvents, toEvents)) {
            candidates.add(e.pdu().roomId());
        }
        // who shares a room whose membership did not change in the range is the same at both ends:
        // only the rooms whose membership may have changed are compared, and only if there are any
        Set<RoomId> moved = new LinkedHashSet<>();
        if (fromEvents < toEvents) {
            for (RoomId room : candidates) {
                if (eventStore.membershipMayHaveChanged(room, fromEvents)) {
                    moved.add(room);
                }
            }
        }
        Set<UserId> changed = new TreeSet<>();
        Set<UserId> left = new TreeSet<>();
        Set<UserId> sharingNow = null;
        if (!moved.isEmpty()) {
            sharingNow = sharingNow(user, joined);
            Set<UserId> sharingThen = new TreeSet<>();
            sharingThen.add(user);
            for (RoomId room : candidates) {
                if (moved.contains(room)) {
                    sharingThen.addAll(joinedMembersAt(room, user, fromEvents));
                } else if (joined.contains(room)) {
                    sharingThen.addAll(stateStore.joinedMembers(room));
                }
            }
            changed.addAll(sharingNow);
            changed.removeAll(sharingThen);
            left.addAll(sharingThen);
            left.removeAll(sharingNow);
            changed.addAll(newMembers(joined.stream().filter(moved::contains).toList(), fromEvents, toEvents));
        }
        if (fromDeviceLists < toDeviceLists) {
            Collection<UserId> watched = sharingNow != null
                    ? sharingNow
                    : deviceLists
                            .usersWithChangesSince(fromDeviceLists)
                            .map(recent -> sharingAmong(user, joined, recent))
                            .orElseGet(() -> sharingNow(user, joined));
            changed.addAll(deviceLists.usersChangedBetween(user, watched, fromDeviceLists, toDeviceLists));
        }
        return new Changes(new ArrayList<>(changed), new ArrayList<>(left));
    }

    /** {@code user} and everyone joined to one of {@code joined}. */
    private Set<UserId> sharingNow(UserId user, List<RoomId> joined) {
        Set<UserId> sharing = new TreeSet<>();
        sharing.add(user);
        for (RoomId room : joined) {
            sharing.addAll(stateStore.joinedMembers(room));
        }
        return sharing;
    }

    /** Those of {@code users} who are {@code user} or share one of {@code joined} with them. */
    private Set<UserId> sharingAmong(UserId user, List<RoomId> joined, Set<UserId> users) {
        Set<RoomId> rooms = new HashSet<>(joined);
        Set<UserId> sharing = new TreeSet<>();
        for (UserId other : users) {
            if (other.equals(user)
                    || stateStore.roomsForUser(other, Membership.JOIN).stream().anyMatch(rooms::contains)) {
                sharing.add(other);
            }
        }
        return sharing;
    }

    /**
     * The users who were invited to or knocked on one of {@code rooms} in the events range (its last
     * {@value #MEMBERSHIP_SCAN} events per room): they may soon read what is encrypted there, so the
     * clients should fetch their keys, as Synapse reports them.
     */
    private Set<UserId> newMembers(List<RoomId> rooms, long fromEvents, long toEvents) {
        Set<UserId> members = new TreeSet<>();
        if (fromEvents >= toEvents) {
            return members;
        }
        for (RoomId room : rooms) {
            for (StoredEvent e : eventStore.roomEventsByStream(room, fromEvents, toEvents, MEMBERSHIP_SCAN)) {
                String membership = e.pdu().content().path("membership").asText("");
                if (e.pdu().type().equals("m.room.member")
                        && NEW_MEMBER.contains(membership)
                        && e.pdu().stateKey().isPresent()) {
                    try {
                        members.add(UserId.parse(e.pdu().stateKey().get()));
                    } catch (RuntimeException malformed) {
                        // a member event of a malformed user id names nobody with devices
                    }
                }
            }
        }
        return members;
    }

    /** The members of {@code room} at events position {@code stream}, or none when {@code user} was not one. */
    private Set<UserId> joinedMembersAt(RoomId room, UserId user, long stream) {
        List<StoredEvent> last = eventStore.roomEventsByStream(room, Long.MIN_VALUE, stream, 1);
        if (last.isEmpty()) {
            return Set.of();
        }
        Map<StateKey, EventId> state =
                stateStore.stateAt(last.getFirst().eventId()).orElse(Map.of());
        List<EventId> memberEvents = state.entrySet().stream()
                .filter(e -> e.getKey().type().equals("m.room.member"))
                .map(Map.Entry::getValue)
                .toList();
        Set<UserId> members = new TreeSet<>();
        for (StoredEvent e : eventStore.getAll(memberEvents).values()) {
            if (e.pdu().content().path("membership").asText("").equals("join")
                    && e.pdu().stateKey().isPresent()) {
                try {
                    members.add(UserId.parse(e.pdu().stateKey().get()));
                } catch (RuntimeException malformed) {
                    // a member event of a malformed user id names nobody with devices
                }
            }
        }
        return members.contains(user) ? members : Set.of();
    }
}
