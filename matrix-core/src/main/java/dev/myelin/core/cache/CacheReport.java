package dev.myelin.core.cache;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.stats.CacheStats;

/**
 * What one named cache holds and how well it serves, for metrics: counts since the process
 * started.
 *
 * @param size entries held now (an estimate)
 * @param hits lookups answered from the cache
 * @param misses lookups that had to load
 * @param evictions entries dropped to stay within the size bound (invalidations not counted)
 */
public record CacheReport(long size, long hits, long misses, long evictions) {
    /** The report of a Caffeine cache built with {@code recordStats()}. */
    public static CacheReport of(Cache<?, ?> cache) {
        CacheStats stats = cache.stats();
        return new CacheReport(cache.estimatedSize(), stats.hitCount(), stats.missCount(), stats.evictionCount());
    }

    /** This report and {@code other} added up (two caches under one name). */
    public CacheReport plus(CacheReport other) {
        return new CacheReport(
                size + other.size, hits + other.hits, misses + other.misses, evictions + other.evictions);
    }
}
