package dev.myelin.storage.state;

import static dev.myelin.storage.schema.Tables.CURRENT_STATE_EVENTS;
import static dev.myelin.storage.schema.Tables.EVENTS;
import static dev.myelin.storage.schema.Tables.ROOM_STATS;

import dev.myelin.core.cache.StampedCache;
import dev.myelin.core.event.content.Membership;
import dev.myelin.core.id.EventId;
import dev.myelin.core.id.RoomId;
import dev.myelin.core.id.ServerName;
import dev.myelin.core.id.UserId;
import dev.myelin.storage.Database;
import dev.myelin.storage.Transaction;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import org.jspecify.annotations.Nullable;

/**
 * Room state: the state after each event, stored as <em>state groups</em> (full snapshots and bounded delta
 * chains, see {@link StateGroups}), and the current state of every room.
 *
 * <p>The current state ({@code current_state_events}, with the membership of member events) answers "who is in
 * this room" and "which rooms is this user in" without walking groups, and {@code room_stats} keeps joined-member
 * counts. This class is the one entry point callers use for both; the group storage and the per-key lookup along
 * delta chains live in their own package-private classes.
 */
public final class StateStore {
    /** The longest delta chain; the next group after it is a full snapshot. */
    public static final int MAX_CHAIN_LENGTH = 20;
    /**
     * When a chain is full, the new group becomes a delta against the chain's snapshot if that delta is at most
     * 1/REBASE_RATIO of the full state; otherwise it becomes a new snapshot. Growing rooms thus take a new
     * snapshot only every time their state has changed by a quarter, instead of every 21 state events.
     */
    static final int REBASE_RATIO = 4;

    private static final String MEMBER = "m.room.member";

    private final Database db;
    private final StateGroups groups;
    private final StateEntryLookup entries;
    // the current-state keys a transaction changed, per room: invalidated together once it commits
    private static final Object TX_CHANGED_STATE = new Object();

    private final CurrentStateCache current;

    /**
     * Creates the store.
     *
     * @param db the database
     */
    public StateStore(Database db) {
        this.db = db;
        this.groups = new StateGroups(db);
        this.entries = new StateEntryLookup(db, groups);
        this.current = new CurrentStateCache(db.invalidation());
        this.roomsForUser = new StampedCache<>(ROOMS_FOR_USER, 100_000, db.invalidation(), key -> key);
    }

    /** The cache name of the rooms per user and membership; keys are {@code user|membership}. */
    public static final String ROOMS_FOR_USER = "rooms_for_user";

    /** The cache name of the rooms' current state; keys are room ids (the whole room) or single keys. */
    public static final String CURRENT_STATE = CurrentStateCache.NAME;

    /** Every /sync, presence check and device list change asks which rooms a user is in. */
    private final StampedCache<String, List<RoomId>> roomsForUser;

    private static String roomsKey(String user, String membership) {
        return user + "|" + membership;
    }

    // ---- reads ---------------------------------------------------------------------------------------

    /** The room state after {@code event} (including it, if it is an accepted state event); empty if unknown. */
    public Optional<Map<StateKey, EventId>> stateAt(EventId event) {
        return groups.stateAt(event);
    }

    /**
     * One key of the state after one event, for {@link #entriesAt}.
     *
     * @param event the event the state is after
     * @param key   the key looked up in it
     */
    public record KeyAt(EventId event, StateKey key) {}

    /**
     * The event that has {@code key} in the state after {@code event}, for each lookup where there is one,
     * without building the whole state after each event: the keys are looked up along the groups' delta
     * chains, all lookups one level at a time. What {@code /members} of a large room needs for the
     * {@code replaces_state} of its thousands of member events, each after a different event.
     */
    public Map<KeyAt, EventId> entriesAt(Collection<KeyAt> lookups) {
        return entries.entriesAt(lookups);
    }

    /** The state group holding the state after {@code event}. */
    public OptionalLong stateGroupAt(EventId event) {
        return groups.stateGroupAt(event);
    }

    /** The room's current state (an unmodifiable map, held in memory between changes). */
    public Map<StateKey, EventId> currentState(RoomId room) {
        return cached(room).ids();
    }

    private RoomCurrentState cached(RoomId room) {
        return current.get(room, this::readCurrentRows, this::readCurrentRows);
    }

    private Map<StateKey, RoomCurrentState.Row> readCurrentRows(RoomId room) {
        Map<StateKey, RoomCurrentState.Row> out = new HashMap<>();
        db.read(tx -> {
            tx.dsl()
                    .select(
                            CURRENT_STATE_EVENTS.EVENT_TYPE,
                            CURRENT_STATE_EVENTS.STATE_KEY,
                            CURRENT_STATE_EVENTS.EVENT_ID,
                            CURRENT_STATE_EVENTS.MEMBERSHIP)
                    .from(CURRENT_STATE_EVENTS)
                    .where(CURRENT_STATE_EVENTS.ROOM_ID.eq(room.value()))
                    .forEach(r -> out.put(
                            new StateKey(r.value1(), r.value2()),
                            new RoomCurrentState.Row(new EventId(r.value3()), r.value4())));
            return null;
        });
        return out;
    }

    private Map<StateKey, RoomCurrentState.Row> readCurrentRows(RoomId room, Collection<StateKey> keys) {
        Map<StateKey, RoomCurrentState.Row> out = new HashMap<>();
        List<String> types = keys.stream().map(StateKey::type).distinct().toList();
        List<String> stateKeys =
                keys.stream().map(StateKey::stateKey).distinct().toList();
        db.read(tx -> {
            tx.dsl()
                    .select(
                            CURRENT_STATE_EVENTS.EVENT_TYPE,
                            CURRENT_STATE_EVENTS.STATE_KEY,
                            CURRENT_STATE_EVENTS.EVENT_ID,
                            CURRENT_STATE_EVENTS.MEMBERSHIP)
                    .from(CURRENT_STATE_EVENTS)
                    .where(
                            CURRENT_STATE_EVENTS.ROOM_ID.eq(room.value()),
                            CURRENT_STATE_EVENTS.EVENT_TYPE.in(types),
                            CURRENT_STATE_EVENTS.STATE_KEY.in(stateKeys))
                    .forEach(r -> {
                        StateKey key = new StateKey(r.value1(), r.value2());
                        if (keys.contains(key)) {
                            out.put(key, new RoomCurrentState.Row(new EventId(r.value3()), r.value4()));
                        }
                    });
            return null;
        });
        return out;
    }

    /** The room's current state as seen by {@code tx}. */
    public Map<StateKey, EventId> currentState(Transaction tx, RoomId room) {
        Map<StateKey, EventId> out = new HashMap<>();
        tx.dsl()
                .select(CURRENT_STATE_EVENTS.EVENT_TYPE, CURRENT_STATE_EVENTS.STATE_KEY, CURRENT_STATE_EVENTS.EVENT_ID)
                .from(CURRENT_STATE_EVENTS)
                .where(CURRENT_STATE_EVENTS.ROOM_ID.eq(room.value()))
                .forEach(r -> out.put(new StateKey(r.value1(), r.value2()), new EventId(r.value3())));
        return out;
    }

    /** One entry of the room's current state. */
    public Optional<EventId> currentStateEvent(RoomId room, StateKey key) {
        return Optional.ofNullable(currentState(room).get(key));
    }

    /** The rooms in which {@code user}'s current membership is {@code membership}, sorted. */
    public List<RoomId> roomsForUser(UserId user, Membership membership) {
        String key = roomsKey(user.toString(), membership.value());
        List<RoomId> cached = roomsForUser.getIfPresent(key);
        if (cached != null) {
            return cached;
        }
        long stamp = roomsForUser.stamp();
        List<RoomId> rooms = List.copyOf(readRoomsForUser(user, membership));
        roomsForUser.put(key, rooms, stamp);
        return rooms;
    }

    private List<RoomId> readRoomsForUser(UserId user, Membership membership) {
        return db.read(tx -> tx.dsl()
                .select(CURRENT_STATE_EVENTS.ROOM_ID)
                .from(CURRENT_STATE_EVENTS)
                .where(
                        CURRENT_STATE_EVENTS.STATE_KEY.eq(user.toString()),
                        CURRENT_STATE_EVENTS.MEMBERSHIP.eq(membership.value()),
                        CURRENT_STATE_EVENTS.EVENT_TYPE.eq(MEMBER))
                .orderBy(CURRENT_STATE_EVENTS.ROOM_ID)
                .fetch(r -> RoomId.parse(r.value1())));
    }

    /** The user's current membership in {@code room} ({@code "join"}, {@code "leave"}, ...), if they have one. */
    public Optional<String> currentMembership(RoomId room, UserId user) {
        return cached(room).membership(user.toString());
    }

    /**
     * How many users of each server are currently joined to {@code room}; servers with none are absent.
     * Where a new event of the room goes, without walking its members.
     */
    public Map<ServerName, Integer> joinedServers(RoomId room) {
        return cached(room).joinedPerServer();
    }

    /** The users currently joined to {@code room}, sorted. */
    public List<UserId> joinedMembers(RoomId room) {
        return cached(room).joined();
    }

    /** How many users are joined to {@code room}: one row read, kept up to date by the event persister. */
    public long joinedMemberCount(RoomId room) {
        return cached(room).joined().size();
    }

    /** How many users currently have {@code membership} in {@code room}, counted on the index, no event read. */
    public long memberCount(RoomId room, Membership membership) {
        if (membership == Membership.JOIN) {
            return joinedMemberCount(room);
        }
        return cached(room).count(membership.value());
    }

    /**
     * Up to {@code limit} users other than {@code except} whose current membership in {@code room} is one of
     * {@code memberships}, in the order their current member events were persisted.
     */
    public List<UserId> members(RoomId room, Collection<Membership> memberships, UserId except, int limit) {
        List<String> values = memberships.stream().map(Membership::value).toList();
        return db.read(tx -> tx.dsl()
                .select(CURRENT_STATE_EVENTS.STATE_KEY)
                .from(CURRENT_STATE_EVENTS)
                .join(EVENTS)
                .on(EVENTS.EVENT_ID.eq(CURRENT_STATE_EVENTS.EVENT_ID))
                .where(
                        CURRENT_STATE_EVENTS.ROOM_ID.eq(room.value()),
                        CURRENT_STATE_EVENTS.EVENT_TYPE.eq(MEMBER),
                        CURRENT_STATE_EVENTS.MEMBERSHIP.in(values),
                        CURRENT_STATE_EVENTS.STATE_KEY.ne(except.toString()))
                .orderBy(EVENTS.STREAM_ORDERING)
                .limit(limit)
                .fetch(r -> UserId.parse(r.value1())));
    }

    /** The entries of the room's current state among {@code keys}, without reading the rest. */
    public Map<StateKey, EventId> currentState(RoomId room, Collection<StateKey> keys) {
        Map<StateKey, EventId> out = new HashMap<>();
        if (keys.isEmpty()) {
            return out;
        }
        Map<StateKey, EventId> state = currentState(room);
        for (StateKey key : keys) {
            EventId id = state.get(key);
            if (id != null) {
                out.put(key, id);
            }
        }
        return out;
    }

    /** How many groups and entries the room's state takes (for tests and the storage benchmark). */
    public long entryCount(RoomId room) {
        return groups.entryCount(room);
    }

    // ---- used by the event persister, inside its transaction -----------------------------------------

    /** The group holding the state after {@code event}, as seen by {@code tx}. */
    public OptionalLong groupForEvent(Transaction tx, EventId event) {
        return groups.groupForEvent(tx, event);
    }

    /** Records that the state after {@code event} is {@code group}. */
    public void setGroupForEvent(Transaction tx, EventId event, long group) {
        groups.setGroupForEvent(tx, event, group);
    }

    /** The full state of {@code group} (an unmodifiable map). */
    public Map<StateKey, EventId> groupState(Transaction tx, long group) {
        return groups.groupState(tx, group);
    }

    /**
     * Writes a new group for the state {@code newState} of {@code room}, reached from {@code previousGroup} (if
     * not null) by {@code changes} (keys mapped to their new event, or to empty for a removed key). Stored as a
     * delta against {@code previousGroup} unless that would make the chain longer than {@link #MAX_CHAIN_LENGTH}.
     */
    public long storeGroup(
            Transaction tx,
            RoomId room,
            EventId forEvent,
            @Nullable Long previousGroup,
            Map<StateKey, Optional<EventId>> changes) {
        return groups.storeGroup(tx, room, forEvent, previousGroup, changes);
    }

    /** The changes that turn {@code from} into {@code to}: new or changed keys, and removed ones as empty. */
    public static Map<StateKey, Optional<EventId>> diff(Map<StateKey, EventId> from, Map<StateKey, EventId> to) {
        return StateGroups.diff(from, to);
    }

    /**
     * Sets one key of the room's current state, keeping memberships and the joined-member count in step.
     * {@code membership} is the member event's membership (empty for other event types).
     */
    public void setCurrentState(Transaction tx, RoomId room, StateKey key, EventId event, @Nullable String membership) {
        String oldMembership = null;
        if (key.type().equals(MEMBER)) {
            oldMembership = tx.dsl()
                    .select(CURRENT_STATE_EVENTS.MEMBERSHIP)
                    .from(CURRENT_STATE_EVENTS)
                    .where(
                            CURRENT_STATE_EVENTS.ROOM_ID.eq(room.value()),
                            CURRENT_STATE_EVENTS.EVENT_TYPE.eq(key.type()),
                            CURRENT_STATE_EVENTS.STATE_KEY.eq(key.stateKey()))
                    .fetchOptional(CURRENT_STATE_EVENTS.MEMBERSHIP)
                    .orElse(null);
        }
        String newMembership = membership;
        tx.dsl()
                .insertInto(CURRENT_STATE_EVENTS)
                .set(CURRENT_STATE_EVENTS.ROOM_ID, room.value())
                .set(CURRENT_STATE_EVENTS.EVENT_TYPE, key.type())
                .set(CURRENT_STATE_EVENTS.STATE_KEY, key.stateKey())
                .set(CURRENT_STATE_EVENTS.EVENT_ID, event.value())
                .set(CURRENT_STATE_EVENTS.MEMBERSHIP, newMembership)
                .onConflict(
                        CURRENT_STATE_EVENTS.ROOM_ID, CURRENT_STATE_EVENTS.EVENT_TYPE, CURRENT_STATE_EVENTS.STATE_KEY)
                .doUpdate()
                .set(CURRENT_STATE_EVENTS.EVENT_ID, event.value())
                .set(CURRENT_STATE_EVENTS.MEMBERSHIP, newMembership)
                .execute();
        adjustJoined(tx, room, oldMembership, newMembership);
        changed(tx, room, key);
    }

    /** Removes one key from the room's current state (after state resolution dropped it). */
    public void removeCurrentState(Transaction tx, RoomId room, StateKey key) {
        String oldMembership = tx.dsl()
                .deleteFrom(CURRENT_STATE_EVENTS)
                .where(
                        CURRENT_STATE_EVENTS.ROOM_ID.eq(room.value()),
                        CURRENT_STATE_EVENTS.EVENT_TYPE.eq(key.type()),
                        CURRENT_STATE_EVENTS.STATE_KEY.eq(key.stateKey()))
                .returning(CURRENT_STATE_EVENTS.MEMBERSHIP)
                .fetchOptional(CURRENT_STATE_EVENTS.MEMBERSHIP)
                .orElse(null);
        adjustJoined(tx, room, oldMembership, null);
        changed(tx, room, key);
    }

    /** Marks {@code key} of the room's cached current state stale once {@code tx} commits, with the other changes. */
    private void changed(Transaction tx, RoomId room, StateKey key) {
        if (key.type().equals(MEMBER)) {
            // the user's rooms by membership: dropped now and again once committed (see StampedCache)
            List<String> keys = Arrays.stream(Membership.values())
                    .map(m -> roomsKey(key.stateKey(), m.value()))
                    .toList();
            db.invalidateOnCommit(tx, ROOMS_FOR_USER, keys);
        }
        Map<RoomId, List<String>> changed = tx.local(TX_CHANGED_STATE, () -> {
            Map<RoomId, List<String>> byRoom = new HashMap<>();
            tx.afterCommit(
                    () -> byRoom.forEach((r, keys) -> db.invalidation().invalidate(CurrentStateCache.NAME, keys)));
            return byRoom;
        });
        changed.computeIfAbsent(room, r -> new ArrayList<>()).add(CurrentStateCache.key(room, key));
    }

    private static void adjustJoined(Transaction tx, RoomId room, String oldMembership, String newMembership) {
        long delta = (Membership.JOIN.value().equals(newMembership) ? 1 : 0)
                - (Membership.JOIN.value().equals(oldMembership) ? 1 : 0);
        if (delta == 0) {
            return;
        }
        tx.dsl()
                .insertInto(ROOM_STATS)
                .set(ROOM_STATS.ROOM_ID, room.value())
                .set(ROOM_STATS.JOINED_MEMBERS, Math.max(0, delta))
                .onConflict(ROOM_STATS.ROOM_ID)
                .doUpdate()
                .set(ROOM_STATS.JOINED_MEMBERS, ROOM_STATS.JOINED_MEMBERS.plus(delta))
                .execute();
    }
}
