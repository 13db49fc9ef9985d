package dev.myelin.storage;

import java.util.Collection;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;

/**
 * A cache of what is read on hot paths (a token's row, a room's record, a user's pushers or
 * compiled push rules), keyed by a string (a token hash, a room id, a user id) and registered
 * under its name with the database's {@link dev.myelin.core.cache.CacheInvalidation}, so that a
 * change made through any store instance, or in another process, drops the stale keys everywhere.
 *
 * <p>Whoever writes the rows calls {@link #invalidateAfterCommit} inside the write transaction:
 * the keys are dropped once the change is visible. A value read while an invalidation of this
 * cache happened is handed to its caller but not kept: every load notes the cache's generation
 * before it reads, and stores its value only if no invalidation has moved the generation since
 * (checked and stored atomically for the key, against the invalidation's own removal), so a
 * value read from a snapshot older than a committed change never outlives it. A loader that finds
 * nothing returns null, which is not cached. Entries do not expire (nothing is measured in time);
 * past the size bound the cache is emptied.
 *
 * @param <V> the cached value
 */
public final class RowCache<V> {
    private final String name;
    private final Database db;
    private final long maximumSize;
    private final ConcurrentHashMap<String, V> values = new ConcurrentHashMap<>();
    private final AtomicLong generation = new AtomicLong();

    /**
     * Creates a cache of at most {@code maximumSize} entries and registers it under {@code name}.
     *
     * @param name the invalidation name, shared by every instance caching the same rows
     * @param db the database whose invalidation the cache registers with
     * @param maximumSize how many keys to keep
     */
    public RowCache(String name, Database db, long maximumSize) {
        this.name = name;
        this.db = db;
        this.maximumSize = maximumSize;
        db.invalidation().register(name, this::drop);
    }

    /** The cached value of {@code key}, else what {@code loader} reads (null: nothing, not cached). */
    public @Nullable V get(String key, Function<String, @Nullable V> loader) {
        V cached = values.get(key);
        if (cached != null) {
            return cached;
        }
        long seen = generation.get();
        V loaded = loader.apply(key);
        if (loaded != null) {
            if (values.size() >= maximumSize) {
                values.clear();
            }
            values.compute(key, (k, old) -> generation.get() == seen ? loaded : old);
        }
        return loaded;
    }

    /** Drops {@code keys} here and in every other instance and process once {@code tx} has committed. */
    public void invalidateAfterCommit(Transaction tx, Collection<String> keys) {
        if (!keys.isEmpty()) {
            List<String> stale = List.copyOf(keys);
            tx.afterCommit(() -> db.invalidation().invalidate(name, stale));
        }
    }

    /** {@link #invalidateAfterCommit(Transaction, Collection)} of one key. */
    public void invalidateAfterCommit(Transaction tx, String key) {
        invalidateAfterCommit(tx, List.of(key));
    }

    private void drop(List<String> keys) {
        if (keys.isEmpty()) {
            generation.incrementAndGet();
            values.clear();
            return;
        }
        for (String key : keys) {
            // under the key's lock, so a load of the key either stores before this removes it or sees the new
            // generation
            values.compute(key, (k, old) -> {
                generation.incrementAndGet();
                return null;
            });
        }
    }
}
