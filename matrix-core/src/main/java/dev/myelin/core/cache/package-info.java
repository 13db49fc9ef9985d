/**
 * Named, future-based caches ({@link dev.myelin.core.cache.FutureCache}) that share in-flight
 * lookups and support invalidation by key prefix ({@link dev.myelin.core.cache.CacheKey}).
 */
@NullMarked
package dev.myelin.core.cache;

import org.jspecify.annotations.NullMarked;
