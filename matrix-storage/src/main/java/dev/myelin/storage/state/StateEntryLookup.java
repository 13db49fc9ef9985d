package dev.myelin.storage.state;

import static dev.myelin.storage.schema.Tables.EVENT_TO_STATE_GROUPS;
import static dev.myelin.storage.schema.Tables.STATE_GROUPS;
import static dev.myelin.storage.schema.Tables.STATE_GROUP_ENTRIES;
import static dev.myelin.storage.state.StateStore.MAX_CHAIN_LENGTH;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.myelin.core.id.EventId;
import dev.myelin.storage.Database;
import dev.myelin.storage.StorageException;
import dev.myelin.storage.Transaction;
import dev.myelin.storage.state.StateStore.KeyAt;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jooq.Condition;
import org.jooq.impl.DSL;

/**
 * Single keys of the state after many events, looked up along the state groups' delta chains instead of
 * resolving each group in full: a large room's member events each sit after a different event, and resolving
 * thousands of full states to read one key of each would cost far more than walking the chains once, all
 * lookups one level at a time.
 */
final class StateEntryLookup {
    private final Database db;
    private final StateGroups groups;
    // one key of the state after a committed event never changes: what entriesAt found, or did not
    private final Cache<KeyAt, Optional<EventId>> keysAt =
            Caffeine.newBuilder().maximumSize(200_000).build();

    StateEntryLookup(Database db, StateGroups groups) {
        this.db = db;
        this.groups = groups;
    }

    /** See {@link StateStore#entriesAt}: what a committed event's key was once found to be is not read again. */
    Map<KeyAt, EventId> entriesAt(Collection<KeyAt> lookups) {
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
                Long known = groups.cachedGroupOf(lookup.event());
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
            Map<StateKey, EventId> full = groups.cachedState(group);
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
}
