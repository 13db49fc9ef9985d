package dev.myelin.storage.state;

import static dev.myelin.storage.schema.Tables.EVENT_TO_STATE_GROUPS;
import static dev.myelin.storage.schema.Tables.STATE_GROUPS;
import static dev.myelin.storage.schema.Tables.STATE_GROUP_ENTRIES;
import static dev.myelin.storage.state.StateStore.MAX_CHAIN_LENGTH;
import static dev.myelin.storage.state.StateStore.REBASE_RATIO;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.myelin.core.id.EventId;
import dev.myelin.core.id.RoomId;
import dev.myelin.storage.Database;
import dev.myelin.storage.StorageException;
import dev.myelin.storage.Transaction;
import dev.myelin.storage.schema.Sequences;
import dev.myelin.storage.schema.tables.records.StateGroupEntriesRecord;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import org.jooq.impl.DSL;
import org.jspecify.annotations.Nullable;

/**
 * The state groups behind {@link StateStore}: a group is either a full snapshot, or a delta (the keys that
 * changed) against a previous group. Events that do not change state share their predecessor's group, so a
 * message costs one row here ({@code event_to_state_groups}), and a state event costs one delta row.
 *
 * <p>Reading a group walks back along its {@code prev_group} chain to a snapshot and applies the deltas.
 * Chains are bounded: where a delta would make a chain longer than {@link StateStore#MAX_CHAIN_LENGTH}, the
 * group is instead stored as a delta straight against the chain's snapshot (chain length 1) while that delta is
 * small, or else as a new full snapshot. A lookup thus reads at most that many deltas plus one snapshot. Groups
 * never change once written, and neither does an event's group, so both are cached (only after their
 * transaction commits) and need no invalidation.
 */
final class StateGroups {
    private final Database db;
    private final Cache<Long, Map<StateKey, EventId>> groups = Caffeine.newBuilder()
            .maximumWeight(2_000_000)
            .<Long, Map<StateKey, EventId>>weigher((k, v) -> 1 + v.size())
            .recordStats()
            .build();

    // event -> state group never changes once committed; persisting a message looks up its prev event's group
    private final Cache<EventId, Long> eventGroups =
            Caffeine.newBuilder().maximumSize(200_000).recordStats().build();
    // groups set by a transaction, visible to its own later lookups before the cache takes them at commit
    private static final Object TX_EVENT_GROUPS = new Object();

    StateGroups(Database db) {
        this.db = db;
        // no invalidation (see above), but reported with the others for metrics
        db.invalidation().reportStats("state_groups", () -> dev.myelin.core.cache.CacheReport.of(groups));
        db.invalidation().reportStats("event_state_groups", () -> dev.myelin.core.cache.CacheReport.of(eventGroups));
    }

    /** The resolved state of {@code group} if cached: the entry lookup settles keys there without reading rows. */
    @Nullable
    Map<StateKey, EventId> cachedState(long group) {
        return groups.getIfPresent(group);
    }

    /** The committed group of {@code event} if cached, so the entry lookup skips reading it. */
    @Nullable
    Long cachedGroupOf(EventId event) {
        return eventGroups.getIfPresent(event);
    }

    /** {@link StateStore#stateAt}; answered without a transaction when both caches hold the answer. */
    Optional<Map<StateKey, EventId>> stateAt(EventId event) {
        Long known = eventGroups.getIfPresent(event);
        Map<StateKey, EventId> cached = known == null ? null : groups.getIfPresent(known);
        if (cached != null) {
            return Optional.of(cached); // both never change once committed: no transaction needed
        }
        return db.read(tx -> groupForEvent(tx, event).stream()
                .mapToObj(g -> groupState(tx, g))
                .findFirst());
    }

    /** {@link StateStore#stateGroupAt}. */
    OptionalLong stateGroupAt(EventId event) {
        Long known = eventGroups.getIfPresent(event);
        if (known != null) {
            return OptionalLong.of(known);
        }
        return db.read(tx -> groupForEvent(tx, event));
    }

    /** {@link StateStore#entryCount}. */
    long entryCount(RoomId room) {
        return db.read(tx -> tx.dsl()
                .selectCount()
                .from(STATE_GROUP_ENTRIES)
                .join(STATE_GROUPS)
                .on(STATE_GROUPS.ID.eq(STATE_GROUP_ENTRIES.STATE_GROUP))
                .where(STATE_GROUPS.ROOM_ID.eq(room.value()))
                .fetchSingle()
                .value1());
    }

    /** {@link StateStore#groupForEvent}; also sees the groups {@code tx} itself set and has not committed yet. */
    OptionalLong groupForEvent(Transaction tx, EventId event) {
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

    /** {@link StateStore#setGroupForEvent}; cached only once {@code tx} commits, so a rollback leaves no trace. */
    void setGroupForEvent(Transaction tx, EventId event, long group) {
        tx.dsl()
                .insertInto(EVENT_TO_STATE_GROUPS)
                .set(EVENT_TO_STATE_GROUPS.EVENT_ID, event.value())
                .set(EVENT_TO_STATE_GROUPS.STATE_GROUP, group)
                .execute();
        tx.<Map<EventId, Long>>local(TX_EVENT_GROUPS, HashMap::new).put(event, group);
        tx.afterCommit(() -> eventGroups.put(event, group));
    }

    /** {@link StateStore#groupState}: the deltas replayed onto the nearest cached group or snapshot. */
    Map<StateKey, EventId> groupState(Transaction tx, long group) {
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
     * {@link StateStore#storeGroup}: a delta against {@code previousGroup}, or, where the chain is full, a delta
     * rebased onto the chain's snapshot or a new snapshot (see the class comment).
     */
    long storeGroup(
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

    /** {@link StateStore#diff}; also what a full chain's new group would hold if rebased onto its snapshot. */
    static Map<StateKey, Optional<EventId>> diff(Map<StateKey, EventId> from, Map<StateKey, EventId> to) {
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
}
