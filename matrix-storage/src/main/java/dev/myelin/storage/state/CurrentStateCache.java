package dev.myelin.storage.state;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.myelin.core.cache.CacheInvalidation;
import dev.myelin.core.id.RoomId;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.BiFunction;
import java.util.function.Function;

/**
 * The current state of recently read rooms, held in memory so that the auth check of a new event,
 * {@code /members}, {@code /state} and the push evaluation of an event do not read every row of a
 * large room each time.
 *
 * <p>Registered with {@link CacheInvalidation} as {@value #NAME}. Its keys are a room id (the whole room
 * is stale) or {@link #key(RoomId, StateKey)} (one key of a room's state is stale); whoever commits a
 * change of {@code current_state_events} invalidates the keys it changed. An invalidation only marks
 * keys stale, so it never blocks; the next read re-reads just those keys from the database, under the
 * room's lock, before it answers. A change therefore shows on the first read that starts after its
 * commit, and a transaction that rolls back never reaches the cache, which is filled only from
 * committed reads.
 *
 * <p>Marks made while a read is loading are kept for the next read: a read takes the marks off before
 * it reads the database, so a mark either precedes its read (which then sees the commit) or stays.
 * Readers that find no marks answer without the lock, unless a refresh has taken marks off and not
 * yet stored its result: they then wait for it.
 */
final class CurrentStateCache {
    /** The name the cache registers under with {@link CacheInvalidation}. */
    static final String NAME = "current_state";

    /** One cached room: its snapshot and what went stale since it was read. */
    private static final class Entry {
        final ReentrantLock lock = new ReentrantLock();
        final Set<StateKey> stale = ConcurrentHashMap.newKeySet();
        volatile boolean allStale = true;
        // set while a read has taken marks off but not yet stored what it read for them
        volatile boolean refreshing;
        volatile RoomCurrentState state = RoomCurrentState.EMPTY;

        boolean fresh() {
            // this order: a mark taken off by a refresh shows as the refresh, until its result is stored
            return !allStale && stale.isEmpty() && !refreshing;
        }
    }

    private final Cache<String, Entry> rooms = Caffeine.newBuilder()
            .maximumWeight(1_000_000)
            .<String, Entry>weigher((room, entry) -> 1 + entry.state.size())
            .recordStats()
            .build();

    CurrentStateCache(CacheInvalidation invalidation) {
        invalidation.register(NAME, this::drop);
        invalidation.reportStats(NAME, () -> dev.myelin.core.cache.CacheReport.of(rooms));
    }

    /** The invalidation key of one state key of a room. */
    static String key(RoomId room, StateKey key) {
        // the room id has no newline; the type is length-prefixed, so any type and state key survive
        return room.value() + "\n" + key.type().length() + ":" + key.type() + key.stateKey();
    }

    /**
     * The room's current state: cached, or read with {@code loadAll} (the whole room) and
     * {@code loadKeys} (the rows of the given keys that exist).
     */
    RoomCurrentState get(
            RoomId room,
            Function<RoomId, Map<StateKey, RoomCurrentState.Row>> loadAll,
            BiFunction<RoomId, Collection<StateKey>, Map<StateKey, RoomCurrentState.Row>> loadKeys) {
        Entry entry = rooms.get(room.value(), r -> new Entry());
        if (entry.fresh()) {
            return entry.state;
        }
        entry.lock.lock();
        entry.refreshing = true;
        try {
            if (entry.allStale) {
                entry.allStale = false;
                entry.stale.clear();
                try {
                    entry.state = RoomCurrentState.of(loadAll.apply(room));
                } catch (RuntimeException | Error e) {
                    entry.allStale = true;
                    throw e;
                }
                // weighed again now that it is full; a no-op if it was evicted meanwhile
                rooms.asMap().replace(room.value(), entry, entry);
            } else if (!entry.stale.isEmpty()) {
                List<StateKey> keys = new ArrayList<>();
                for (Iterator<StateKey> it = entry.stale.iterator(); it.hasNext(); ) {
                    keys.add(it.next());
                    it.remove();
                }
                Map<StateKey, RoomCurrentState.Row> rows;
                try {
                    rows = loadKeys.apply(room, keys);
                } catch (RuntimeException | Error e) {
                    entry.stale.addAll(keys);
                    throw e;
                }
                Map<StateKey, Optional<RoomCurrentState.Row>> changes = new HashMap<>();
                for (StateKey key : keys) {
                    changes.put(key, Optional.ofNullable(rows.get(key)));
                }
                entry.state = entry.state.with(changes);
            }
            return entry.state;
        } finally {
            entry.refreshing = false;
            entry.lock.unlock();
        }
    }

    private void drop(List<String> keys) {
        if (keys.isEmpty()) {
            rooms.asMap().values().forEach(entry -> entry.allStale = true);
            return;
        }
        for (String key : keys) {
            int newline = key.indexOf('\n');
            if (newline < 0) {
                Entry entry = rooms.getIfPresent(key);
                if (entry != null) {
                    entry.allStale = true;
                }
                continue;
            }
            Entry entry = rooms.getIfPresent(key.substring(0, newline));
            if (entry == null) {
                continue;
            }
            int colon = key.indexOf(':', newline);
            int typeLength = colon < 0 ? -1 : parseLength(key.substring(newline + 1, colon));
            if (typeLength < 0 || colon + 1 + typeLength > key.length()) {
                entry.allStale = true; // not a key this cache made: be safe
                continue;
            }
            String type = key.substring(colon + 1, colon + 1 + typeLength);
            entry.stale.add(new StateKey(type, key.substring(colon + 1 + typeLength)));
        }
    }

    private static int parseLength(String digits) {
        try {
            return Integer.parseInt(digits);
        } catch (NumberFormatException e) {
            return -1;
        }
    }
}
