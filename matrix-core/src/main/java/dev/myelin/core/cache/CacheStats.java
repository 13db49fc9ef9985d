package dev.myelin.core.cache;

/**
 * A snapshot of a {@link FutureCache}'s counters since it was created, for logs and metrics.
 *
 * @param hits lookups answered from the cache, including ones that joined an in-flight load
 * @param misses lookups that started a load
 * @param loads loads that finished, successfully or not
 * @param loadFailures loads that failed (their results were not kept)
 * @param evictions entries removed for size or age (not explicit invalidations)
 */
public record CacheStats(long hits, long misses, long loads, long loadFailures, long evictions) {

    /** Fraction of lookups that were hits; 1 when there were no lookups. */
    public double hitRate() {
        long total = hits + misses;
        return total == 0 ? 1.0 : (double) hits / total;
    }
}
