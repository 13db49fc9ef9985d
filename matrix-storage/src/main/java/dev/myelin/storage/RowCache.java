package dev.myelin.storage;

import dev.myelin.core.cache.StampedCache;
import java.util.Collection;
import java.util.List;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;

/**
 * A cache of what is read on hot paths (a token's row, a room's record, a user's pushers or
 * compiled push rules), keyed by a string (a token hash, a room id, a user id) and registered
 * under its name with the database's {@link dev.myelin.core.cache.CacheInvalidation}, so that a
 * change made through any store instance, or in another process, drops the stale keys everywhere.
 *
 * <p>Whoever writes the rows calls {@link #invalidateAfterCommit} inside the write transaction:
 * the keys are dropped when written and again once the change is visible. A value read while an
 * invalidation of this cache happened is handed to its caller but not kept ({@link StampedCache}),
 * so a value read from a snapshot older than a committed change never outlives it. A loader that
 * finds nothing returns null, which is not cached. Entries do not expire (nothing is measured in
 * time); past the size bound the least used go.
 *
 * @param <V> the cached value
 */
public final class RowCache<V> {
    private final String name;
    private final Database db;
    private final StampedCache<String, V> values;

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
        this.values = new StampedCache<>(name, maximumSize, db.invalidation(), key -> key);
    }

    /** The cached value of {@code key}, else what {@code loader} reads (null: nothing, not cached). */
    public @Nullable V get(String key, Function<String, @Nullable V> loader) {
        V cached = values.getIfPresent(key);
        if (cached != null) {
            return cached;
        }
        long stamp = values.stamp();
        V loaded = loader.apply(key);
        if (loaded != null) {
            values.put(key, loaded, stamp);
        }
        return loaded;
    }

    /** Drops {@code keys} here and in every other instance and process, now and once {@code tx} has committed. */
    public void invalidateAfterCommit(Transaction tx, Collection<String> keys) {
        if (!keys.isEmpty()) {
            db.invalidateOnCommit(tx, name, List.copyOf(keys));
        }
    }

    /** {@link #invalidateAfterCommit(Transaction, Collection)} of one key. */
    public void invalidateAfterCommit(Transaction tx, String key) {
        invalidateAfterCommit(tx, List.of(key));
    }
}
