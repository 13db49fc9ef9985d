package dev.myelin.storage.state;

import static dev.myelin.storage.schema.Tables.CURRENT_STATE_EVENTS;
import static dev.myelin.storage.schema.Tables.EVENTS;
import static dev.myelin.storage.schema.Tables.EVENT_TO_STATE_GROUPS;
import static dev.myelin.storage.schema.Tables.ROOM_STATS;
import static dev.myelin.storage.schema.Tables.STATE_GROUPS;
import static dev.myelin.storage.schema.Tables.STATE_GROUP_ENTRIES;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.myelin.core.event.content.Membership;
import dev.myelin.core.id.EventId;
import dev.myelin.core.id.RoomId;
import dev.myelin.core.id.ServerName;
import dev.myelin.core.id.UserId;
import dev.myelin.storage.Database;
import dev.myelin.storage.StorageException;
import dev.myelin.storage.Transaction;
import dev.myelin.storage.schema.Sequences;
import dev.myelin.storage.schema.tables.records.StateGroupEntriesRecord;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import org.jooq.Condition;
import org.jooq.impl.DSL;
import org.jspecify.annotations.Nullable;

/**
 * Room state, stored as <em>state groups</em>: a group is either a full snapshot, or a delta (the keys that
 * changed) against a previous group. Events that do not change state share their predecessor's group, so a
 * message costs one row here ({@code event_to_state_groups}), and a state event costs one delta row.
 *
 * <p>Reading a group walks back along its {@code prev_group} chain to a snapshot and applies the deltas.
 * Chains are bounded: where a delta would make a chain longer than {@link #MAX_CHAIN_LENGTH}, the group is
 * instead stored as a delta straight against the chain's snapshot (chain length 1) while that delta is
 * small, or else as a new full snapshot. A lookup thus reads at most that many deltas plus one snapshot. Groups never change once
 * written, so resolved groups are cached (only after their transaction commits).
 *
 * <p>Alongside, the current state of every room ({@code current_state_events}, with the membership of member
 * events) answers "who is in this room" and "which rooms is this user in" without walking groups, and
 * {@code room_stats} keeps joined-member counts.
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
    private final Cache<Long, Map<StateKey, EventId>> groups = Caffeine.newBuilder()
            .maximumWeight(2_000_000)
            .<Long, Map<StateKey, EventId>>weigher((k, v) -> 1 + v.size())
            .build();

    // event -> state group never changes once committed; persisting a message looks up its prev event's group
    private final Cache<EventId, Long> eventGroups =
            Caffeine.newBuilder().maximumSize(200_000).build();
    private static final Object TX_EVENT_GROUPS = new Object();
    // one key of the state after a committed event never changes: what entriesAt found, or did not
    private final Cache<KeyAt, Optional<EventId>> keysAt =
            Caffeine.newBuilder().maximumSize(200_000).build();
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
        this.current = new CurrentStateCache(db.invalidation());
    }

    // ---- reads ---------------------------------------------------------------------------------------

    /** The room state after {@code event} (including it, if it is an accepted state event); empty if unknown. */
    public Optional<Map<StateKey, EventId>> stateAt(EventId event) {
        Long known = eventGroups.getIfPresent(event);
        Map<StateKey, EventId> cached = known == null ? null : groups.getIfPresent(known);
        if (cached != null) {
            return Optional.of(cached); // both never change once committed: no transaction needed
        }
        return db.read(tx -> groupForEvent(tx, event).stream()
                .mapToObj(g -> groupState(tx, g))
                .findFirst());
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
        Map<KeyAt, EventId> out = new HashMap<>();
        List<KeyAt> missing = new ArrayList<>();
        for (KeyAt lookup : lookups) {
            Optional<EventId> known = keysAt.getIfPresent(lookup);
            if (known == null) {
                missing.add(lookup);
            } else {
                known.ifPresent(id -> out.put(lookup, id));
            }
        }
        if (missing.isEmpty()) {
            return out;
        }
        Map<KeyAt, EventId> found = readEntriesAt(missing);
        out.putAll(found);
        return out;
    }

    private Map<KeyAt, EventId> readEntriesAt(List<KeyAt> lookups) {
        Map<KeyAt, EventId> out = new HashMap<>();
        return db.read(tx -> {
            Map<EventId, Long> groupOf = new HashMap<>();
            List<String> unknown = new ArrayList<>();
            for (KeyAt lookup : lookups) {
                Long known = eventGroups.getIfPresent(lookup.event());
                if (known != null) {
                    groupOf.put(lookup.event(), known);
                } else if (!groupOf.containsKey(lookup.event())) {
                    unknown.add(lookup.event().value());
                }
            }
            for (List<String> chunk : chunks(unknown.stream().distinct().toList())) {
                tx.dsl()
                        .select(EVENT_TO_STATE_GROUPS.EVENT_ID, EVENT_TO_STATE_GROUPS.STATE_GROUP)
                        .from(EVENT_TO_STATE_GROUPS)
                        .where(EVENT_TO_STATE_GROUPS.EVENT_ID.in(chunk))
                        .forEach(r -> groupOf.put(new EventId(r.value1()), r.value2()));
            }
            // group -> key -> the lookups still waiting for that key of that group's chain
            Map<Long, Map<StateKey, List<KeyAt>>> frontier = new HashMap<>();
            for (KeyAt lookup : lookups) {
                Long group = groupOf.get(lookup.event());
                if (group != null) {
                    frontier.computeIfAbsent(group, g -> new HashMap<>())
                            .computeIfAbsent(lookup.key(), k -> new ArrayList<>())
                            .add(lookup);
                }
            }
            for (int level = 0; !frontier.isEmpty(); level++) {
                if (level > MAX_CHAIN_LENGTH + 1) {
                    throw new StorageException("a state group has a delta chain longer than " + MAX_CHAIN_LENGTH);
                }
                frontier = nextLevel(tx, frontier, out);
            }
            for (KeyAt lookup : lookups) {
                if (groupOf.containsKey(lookup.event())) {
                    // only events with a committed group: the others may get one later
                    Optional<EventId> answer = Optional.ofNullable(out.get(lookup));
                    tx.afterCommit(() -> keysAt.put(lookup, answer));
                }
            }
            return out;
        });
    }

    /** Answers the lookups of {@code frontier} that its groups settle; the others move to the previous groups. */
    private Map<Long, Map<StateKey, List<KeyAt>>> nextLevel(
            Transaction tx, Map<Long, Map<StateKey, List<KeyAt>>> frontier, Map<KeyAt, EventId> out) {
        Map<Long, Map<StateKey, List<KeyAt>>> next = new HashMap<>();
        List<Long> uncached = new ArrayList<>();
        frontier.forEach((group, keys) -> {
            Map<StateKey, EventId> full = groups.getIfPresent(group);
            if (full == null) {
                uncached.add(group);
                return;
            }
            keys.forEach((key, waiting) -> {
                EventId id = full.get(key);
                if (id != null) {
                    waiting.forEach(lookup -> out.put(lookup, id));
                }
            });
        });
        for (List<Long> chunk : chunks(uncached)) {
            Map<Long, Long> prevOf = new HashMap<>();
            tx.dsl()
                    .select(STATE_GROUPS.ID, STATE_GROUPS.PREV_GROUP)
                    .from(STATE_GROUPS)
                    .where(STATE_GROUPS.ID.in(chunk))
                    .forEach(r -> prevOf.put(r.value1(), r.value2()));
            // one primary-key probe per (group, key): IN lists on the three columns would probe their product
            List<Condition> probes = new ArrayList<>();
            for (Long group : chunk) {
                for (StateKey k : frontier.get(group).keySet()) {
                    probes.add(STATE_GROUP_ENTRIES
                            .STATE_GROUP
                            .eq(group)
                            .and(STATE_GROUP_ENTRIES.EVENT_TYPE.eq(k.type()))
                            .and(STATE_GROUP_ENTRIES.STATE_KEY.eq(k.stateKey())));
                }
            }
            Map<Long, Map<StateKey, Optional<EventId>>> found = new HashMap<>();
            for (int from = 0; from < probes.size(); from += 300) {
                tx.dsl()
                        .selectFrom(STATE_GROUP_ENTRIES)
                        .where(DSL.or(probes.subList(from, Math.min(probes.size(), from + 300))))
                        .forEach(e -> found.computeIfAbsent(e.getStateGroup(), g -> new HashMap<>())
                                .put(
                                        new StateKey(e.getEventType(), e.getStateKey()),
                                        Optional.ofNullable(e.getEventId()).map(EventId::new)));
            }
            for (Long group : chunk) {
                if (!prevOf.containsKey(group)) {
                    throw new StorageException("state group " + group + " does not exist");
                }
                Long prev = prevOf.get(group);
                Map<StateKey, Optional<EventId>> entries = found.getOrDefault(group, Map.of());
                frontier.get(group).forEach((key, waiting) -> {
                    Optional<EventId> entry = entries.get(key);
                    if (entry != null) {
                        entry.ifPresent(id -> waiting.forEach(lookup -> out.put(lookup, id)));
                    } else if (prev != null) {
                        next.computeIfAbsent(prev, g -> new HashMap<>())
                                .computeIfAbsent(key, k -> new ArrayList<>())
                                .addAll(waiting);
                    }
                });
            }
        }
        return next;
    }

    /** Lists cut to a size that keeps a statement's binds well below PostgreSQL's and SQLite's limits. */
    private static <T> List<List<T>> chunks(List<T> values) {
        List<List<T>> out = new ArrayList<>();
        for (int from = 0; from < values.size(); from += 1000) {
            out.add(values.subList(from, Math.min(values.size(), from + 1000)));
        }
        return out;
    }

    /** The state group holding the state after {@code event}. */
    public OptionalLong stateGroupAt(EventId event) {
        Long known = eventGroups.getIfPresent(event);
        if (known != null) {
            return OptionalLong.of(known);
        }
        return db.read(tx -> groupForEvent(tx, event));
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
        return db.read(tx -> tx.dsl()
                .select(ROOM_STATS.JOINED_MEMBERS)
                .from(ROOM_STATS)
                .where(ROOM_STATS.ROOM_ID.eq(room.value()))
                .fetchOptional(ROOM_STATS.JOINED_MEMBERS)
                .orElse(0L));
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
        return db.read(tx -> tx.dsl()
                .selectCount()
                .from(STATE_GROUP_ENTRIES)
                .join(STATE_GROUPS)
                .on(STATE_GROUPS.ID.eq(STATE_GROUP_ENTRIES.STATE_GROUP))
                .where(STATE_GROUPS.ROOM_ID.eq(room.value()))
                .fetchSingle()
                .value1());
    }

    // ---- used by the event persister, inside its transaction -----------------------------------------

    /** The group holding the state after {@code event}, as seen by {@code tx}. */
    public OptionalLong groupForEvent(Transaction tx, EventId event) {
        Long known = eventGroups.getIfPresent(event);
        if (known == null) {
            known = tx.<Map<EventId, Long>>local(TX_EVENT_GROUPS, HashMap::new).get(event);
        }
        if (known != null) {
            return OptionalLong.of(known);
        }
        Long g = tx.dsl()
                .select(EVENT_TO_STATE_GROUPS.STATE_GROUP)
                .from(EVENT_TO_STATE_GROUPS)
                .where(EVENT_TO_STATE_GROUPS.EVENT_ID.eq(event.value()))
                .fetchOptional(EVENT_TO_STATE_GROUPS.STATE_GROUP)
                .orElse(null);
        if (g == null) {
            return OptionalLong.empty();
        }
        Long group = g;
        tx.afterCommit(() -> eventGroups.put(event, group));
        return OptionalLong.of(g);
    }

    /** Records that the state after {@code event} is {@code group}. */
    public void setGroupForEvent(Transaction tx, EventId event, long group) {
        tx.dsl()
                .insertInto(EVENT_TO_STATE_GROUPS)
                .set(EVENT_TO_STATE_GROUPS.EVENT_ID, event.value())
                .set(EVENT_TO_STATE_GROUPS.STATE_GROUP, group)
                .execute();
        tx.<Map<EventId, Long>>local(TX_EVENT_GROUPS, HashMap::new).put(event, group);
        tx.afterCommit(() -> eventGroups.put(event, group));
    }

    /** The full state of {@code group} (an unmodifiable map). */
    public Map<StateKey, EventId> groupState(Transaction tx, long group) {
        Map<StateKey, EventId> cached = groups.getIfPresent(group);
        if (cached != null) {
            return cached;
        }
        List<Long> chain = new ArrayList<>(); // newest first
        Map<StateKey, EventId> base = null;
        Long current = group;
        while (current != null) {
            Map<StateKey, EventId> hit = groups.getIfPresent(current);
            if (hit != null) {
                base = hit;
                break;
            }
            chain.add(current);
            long id = current;
            var row = tx.dsl()
                    .select(STATE_GROUPS.PREV_GROUP)
                    .from(STATE_GROUPS)
                    .where(STATE_GROUPS.ID.eq(id))
                    .fetchOne();
            if (row == null) {
                throw new StorageException("state group " + id + " does not exist");
            }
            current = row.value1();
            if (chain.size() > MAX_CHAIN_LENGTH + 1) {
                throw new StorageException(
                        "state group " + group + " has a delta chain longer than " + MAX_CHAIN_LENGTH);
            }
        }
        Map<Long, List<StateGroupEntriesRecord>> entries = new HashMap<>();
        tx.dsl()
                .selectFrom(STATE_GROUP_ENTRIES)
                .where(STATE_GROUP_ENTRIES.STATE_GROUP.in(chain))
                .forEach(r -> entries.computeIfAbsent(r.getStateGroup(), k -> new ArrayList<>())
                        .add(r));
        Map<StateKey, EventId> state = base == null ? new HashMap<>() : new HashMap<>(base);
        for (int i = chain.size() - 1; i >= 0; i--) {
            for (StateGroupEntriesRecord e : entries.getOrDefault(chain.get(i), List.of())) {
                StateKey key = new StateKey(e.getEventType(), e.getStateKey());
                if (e.getEventId() == null) {
                    state.remove(key);
                } else {
                    state.put(key, new EventId(e.getEventId()));
                }
            }
        }
        Map<StateKey, EventId> result = Collections.unmodifiableMap(state);
        tx.afterCommit(() -> groups.put(group, result));
        return result;
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
        OptionalLong prevGroup = previousGroup == null ? OptionalLong.empty() : OptionalLong.of(previousGroup);
        long id = db.isSqlite()
                ? nextLocalGroupId(tx)
                : tx.dsl()
                        .select(Sequences.STATE_GROUP_ID_SEQ.nextval())
                        .fetchSingle()
                        .value1();
        int chainLength = 0;
        Map<StateKey, Optional<EventId>> rows = changes;
        Map<StateKey, EventId> full = null; // only built when the chain is cut
        Long snapshot = null;
        if (prevGroup.isPresent()) {
            var prev = tx.dsl()
                    .select(STATE_GROUPS.CHAIN_LENGTH, STATE_GROUPS.SNAPSHOT_GROUP)
                    .from(STATE_GROUPS)
                    .where(STATE_GROUPS.ID.eq(prevGroup.getAsLong()))
                    .fetchOne();
            if (prev == null) {
                throw new StorageException("state group " + prevGroup.getAsLong() + " does not exist");
            }
            snapshot = prev.value2();
            if (prev.value1() + 1 <= MAX_CHAIN_LENGTH) {
                chainLength = prev.value1() + 1;
            } else {
                full = new HashMap<>(groupState(tx, prevGroup.getAsLong()));
                applyChanges(full, changes);
                // rebase onto the chain's snapshot while the difference stays small; else a new snapshot
                Map<StateKey, Optional<EventId>> sinceSnapshot = diff(groupState(tx, snapshot), full);
                if (sinceSnapshot.size() <= full.size() / REBASE_RATIO) {
                    rows = sinceSnapshot;
                    prevGroup = OptionalLong.of(snapshot);
                    chainLength = 1;
                } else {
                    rows = snapshotRows(full);
                    prevGroup = OptionalLong.empty();
                    snapshot = null;
                }
            }
        } else {
            full = new HashMap<>();
            applyChanges(full, changes);
            rows = snapshotRows(full);
        }
        tx.dsl()
                .insertInto(STATE_GROUPS)
                .set(STATE_GROUPS.ID, id)
                .set(STATE_GROUPS.ROOM_ID, room.value())
                .set(STATE_GROUPS.EVENT_ID, forEvent.value())
                .set(STATE_GROUPS.PREV_GROUP, prevGroup.isPresent() ? prevGroup.getAsLong() : null)
                .set(STATE_GROUPS.SNAPSHOT_GROUP, snapshot == null ? id : snapshot)
                .set(STATE_GROUPS.CHAIN_LENGTH, chainLength)
                .execute();
        if (!rows.isEmpty()) {
            List<Map.Entry<StateKey, Optional<EventId>>> list = new ArrayList<>(rows.entrySet());
            // bounded statement size: PostgreSQL allows 65535 binds, SQLite 32766
            for (int from = 0; from < list.size(); from += 1000) {
                var batch = tx.dsl()
                        .insertInto(
                                STATE_GROUP_ENTRIES,
                                STATE_GROUP_ENTRIES.STATE_GROUP,
                                STATE_GROUP_ENTRIES.EVENT_TYPE,
                                STATE_GROUP_ENTRIES.STATE_KEY,
                                STATE_GROUP_ENTRIES.EVENT_ID);
                for (var e : list.subList(from, Math.min(list.size(), from + 1000))) {
                    batch = batch.values(
                            id,
                            e.getKey().type(),
                            e.getKey().stateKey(),
                            e.getValue().map(EventId::value).orElse(null));
                }
                batch.execute();
            }
        }
        if (full != null) {
            Map<StateKey, EventId> result = Collections.unmodifiableMap(full);
            tx.afterCommit(() -> groups.put(id, result));
        }
        return id;
    }

    private static void applyChanges(Map<StateKey, EventId> state, Map<StateKey, Optional<EventId>> changes) {
        changes.forEach((k, v) -> {
            if (v.isPresent()) {
                state.put(k, v.get());
            } else {
                state.remove(k);
            }
        });
    }

    /** The changes that turn {@code from} into {@code to}: new or changed keys, and removed ones as empty. */
    public static Map<StateKey, Optional<EventId>> diff(Map<StateKey, EventId> from, Map<StateKey, EventId> to) {
        Map<StateKey, Optional<EventId>> delta = new HashMap<>();
        to.forEach((k, v) -> {
            if (!v.equals(from.get(k))) {
                delta.put(k, Optional.of(v));
            }
        });
        from.keySet().forEach(k -> {
            if (!to.containsKey(k)) {
                delta.put(k, Optional.empty());
            }
        });
        return delta;
    }

    private static Map<StateKey, Optional<EventId>> snapshotRows(Map<StateKey, EventId> full) {
        Map<StateKey, Optional<EventId>> rows = new HashMap<>();
        full.forEach((k, v) -> rows.put(k, Optional.of(v)));
        return rows;
    }

    private static long nextLocalGroupId(Transaction tx) {
        // SQLite has one writer connection, so max + 1 inside the write transaction cannot collide
        Long max = tx.dsl().select(DSL.max(STATE_GROUPS.ID)).from(STATE_GROUPS).fetchOne(0, Long.class);
        return max == null ? 1 : max + 1;
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
