package dev.myelin.core.cache;

import java.util.Arrays;
import java.util.List;

/**
 * A cache key made of ordered parts, such as {@code (roomId, eventType, stateKey)}, so that all
 * entries sharing leading parts can be invalidated together with {@link
 * FutureCache#invalidatePrefix}.
 *
 * <p>Parts are compared with {@code equals}; use immutable values (identifiers, strings, numbers).
 * Null parts are not allowed.
 *
 * @param parts the key's parts, outermost first
 */
public record CacheKey(List<Object> parts) {

    /** Copies {@code parts}; rejects an empty list or a null part. */
    public CacheKey {
        parts = List.copyOf(parts);
        if (parts.isEmpty()) {
            throw new IllegalArgumentException("a cache key needs at least one part");
        }
    }

    /** A key of the given parts. */
    public static CacheKey of(Object... parts) {
        return new CacheKey(Arrays.asList(parts));
    }

    /** Whether this key's leading parts equal {@code prefix} (a key is a prefix of itself). */
    public boolean startsWith(List<?> prefix) {
        return prefix.size() <= parts.size() && parts.subList(0, prefix.size()).equals(prefix);
    }
}
