package dev.myelin.core.cache;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;

/**
 * A bounded cache of values read from a database, registered with {@link CacheInvalidation} under a
 * name, that never keeps a value read while an invalidation ran. A reader takes a {@link #stamp()}
 * before it reads and hands it to {@link #put}; every invalidation moves the stamp, under the key's
 * lock, so a value read before (or during) a change is never stored after it. Writers
 * invalidate when they write and once more after their transaction commits.
 *
 * @param <K> the key; {@code parseKey} turns the invalidation's string keys back into it
 * @param <V> the value
 */
public final class StampedCache<K, V> {
    private final Cache<K, V> values;
    private final AtomicLong invalidations = new AtomicLong();

    /** A cache of at most {@code maximumSize} entries, invalidated under {@code name}. */
    public StampedCache(String name, long maximumSize, CacheInvalidation invalidation, Function<String, K> parseKey) {
        this.values = Caffeine.newBuilder()
                .maximumSize(maximumSize)
                .executor(Runnable::run)
                .recordStats()
                .build();
        invalidation.register(name, keys -> drop(keys, parseKey));
        invalidation.reportStats(name, () -> CacheReport.of(values));
    }

    private void drop(List<String> keys, Function<String, K> parseKey) {
        if (keys.isEmpty()) {
            invalidations.incrementAndGet();
            values.invalidateAll();
            return;
        }
        for (String key : keys) {
            // moved under the key's lock: a put of the key either lands before this removes it, or sees it
            values.asMap().compute(parseKey.apply(key), (k, old) -> {
                invalidations.incrementAndGet();
                return null;
            });
        }
    }

    /** The cached value, or null. */
    public V getIfPresent(K key) {
        return values.getIfPresent(key);
    }

    /** To be taken before reading a value to {@link #put}. */
    public long stamp() {
        return invalidations.get();
    }

    /** Keeps {@code value}, read after {@code stamp} was taken, unless an invalidation ran since. */
    public void put(K key, V value, long stamp) {
        // checked and stored atomically for the key: a stale value is never visible, not even briefly
        values.asMap().compute(key, (k, old) -> invalidations.get() == stamp ? value : old);
    }
}
