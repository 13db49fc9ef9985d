package dev.myelin.core.cache;

import com.github.benmanes.caffeine.cache.AsyncCache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.myelin.core.time.Clock;
import dev.myelin.core.time.SystemClock;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A named cache of values that are looked up asynchronously, where callers asking for the same
 * key while a lookup is in flight share that one lookup instead of starting their own.
 *
 * <p>Used in front of storage and remote lookups (a room's current state, a server's signing
 * keys, a user's devices). A lookup that fails is not kept, so the next caller tries again.
 * Entries can be bounded in number and expire a fixed time after they were stored, measured on
 * the injected {@link Clock} so a fake clock drives expiry in tests. Invalidation removes a key,
 * every key, or every {@link CacheKey} that starts with given parts, e.g. everything cached for a
 * room; an invalidation that races with an in-flight lookup removes that lookup, so its result is
 * handed to its waiters but not kept.
 *
 * <pre>{@code
 * FutureCache<CacheKey, RoomState> stateCache = FutureCache.builder("room-state")
 *         .maximumSize(10_000)
 *         .expireAfterWrite(Duration.ofMinutes(30))
 *         .clock(clock)
 *         .build();
 * RoomState state = stateCache.get(CacheKey.of(roomId, eventId), k -> store.loadState(roomId, eventId)).join();
 * stateCache.invalidatePrefix(roomId); // after a write to that room
 * }</pre>
 *
 * <p>Built on Caffeine's {@code AsyncCache}. A loader that returns {@code null} completes its
 * future with {@code null} and nothing is cached. Each caller receives its own dependent future,
 * so a caller that cancels its future stops waiting without cancelling the lookup others share.
 *
 * @param <K> key type; a {@link CacheKey} to use prefix invalidation
 * @param <V> value type
 */
public final class FutureCache<K, V> {

    private static final Logger LOG = LoggerFactory.getLogger(FutureCache.class);

    private final String name;
    private final AsyncCache<K, Stamped<V>> cache;
    private final Executor loaderExecutor;
    private final Clock clock;
    /** The write lifetime in nanoseconds, or -1 when entries never expire. */
    private final long ttlNanos;
    /** Entries found expired by their stamp before Caffeine's own completion callback saw them. */
    private final java.util.concurrent.atomic.LongAdder expiredByStamp = new java.util.concurrent.atomic.LongAdder();
    /** Lookups that failed; Caffeine never sees them fail (see {@link #lookup}). */
    private final java.util.concurrent.atomic.LongAdder loadFailures = new java.util.concurrent.atomic.LongAdder();

    private FutureCache(Builder builder) {
        this.name = builder.name;
        this.loaderExecutor = builder.loaderExecutor;
        this.clock = builder.clock;
        this.ttlNanos = builder.expireAfterWrite == null ? -1 : nanos(builder.expireAfterWrite);
        Caffeine<Object, Object> caffeine = Caffeine.newBuilder()
                .ticker(clock::monotonicNanos)
                // housekeeping on the calling thread: eviction is prompt and deterministic
                .executor(Runnable::run)
                .recordStats();
        if (builder.maximumSize >= 0) {
            caffeine.maximumSize(builder.maximumSize);
        }
        // Expiry is by each value's stamp (see expiredByStamp), not Caffeine's: Caffeine learns of an
        // async value in a callback that can run after waiters wake, which made expiry racy.
        this.cache = caffeine.buildAsync();
    }

    /** Starts building a cache called {@code name}; the name appears in logs and metrics. */
    public static Builder builder(String name) {
        return new Builder(name);
    }

    /** This cache's name. */
    public String name() {
        return name;
    }

    /**
     * The cached or in-flight value for {@code key}, or else a new lookup that runs the blocking
     * {@code loader} on the cache's loader executor (a new virtual thread by default).
     */
    public CompletableFuture<V> get(K key, Function<? super K, ? extends V> loader) {
        Objects.requireNonNull(loader, "loader");
        return lookup(key, k -> CompletableFuture.supplyAsync(() -> stamp(loader.apply(k)), loaderExecutor));
    }

    /**
     * The cached or in-flight value for {@code key}, or else the future returned by {@code loader}
     * (called on the current thread), which becomes the shared in-flight lookup.
     */
    public CompletableFuture<V> getAsync(K key, Function<? super K, ? extends CompletableFuture<? extends V>> loader) {
        Objects.requireNonNull(loader, "loader");
        return lookup(key, k -> loader.apply(k).thenApply(this::stamp));
    }

    private Stamped<V> stamp(V value) {
        return value == null ? null : new Stamped<>(value, clock.monotonicNanos(), null);
    }

    /**
     * A lookup's failure reaches Caffeine as a value that says so, not as a failed future: Caffeine
     * logs every failed asynchronous load as a warning with its stack trace, and a failure is often
     * expected (a blocked URL preview, a missing row). This class counts it and removes the entry
     * instead, and the callers' futures still fail with it.
     */
    private CompletableFuture<V> lookup(K key, Function<K, CompletableFuture<Stamped<V>>> start) {
        while (true) {
            boolean[] started = {false};
            CompletableFuture<Stamped<V>> future = cache.get(key, (k, executor) -> {
                started[0] = true;
                return start.apply(k).exceptionally(Stamped::failedWith);
            });
            if (started[0]) {
                future.thenAccept(stamped -> {
                    if (stamped != null && stamped.failure() != null) {
                        loadFailures.increment();
                        cache.asMap().remove(key, future);
                    }
                });
            }
            if (!started[0] && expiredByStamp(key, future)) {
                continue;
            }
            if (started[0] || !failed(future)) {
                // a dependent per caller: one caller cancelling does not cancel the shared lookup
                return future.thenApply(FutureCache::unstamp);
            }
            // a failed lookup whose removal has not run yet: never hand out a cached failure
            cache.asMap().remove(key, future);
        }
    }

    private static boolean failed(CompletableFuture<? extends Stamped<?>> future) {
        if (future.isCompletedExceptionally()) {
            return true;
        }
        Stamped<?> stamped = future.isDone() ? future.getNow(null) : null;
        return stamped != null && stamped.failure() != null;
    }

    /** The cached or in-flight value for {@code key}, if any, without loading. */
    public Optional<CompletableFuture<V>> getIfPresent(K key) {
        CompletableFuture<Stamped<V>> future = cache.getIfPresent(key);
        if (future == null || failed(future) || expiredByStamp(key, future)) {
            return Optional.empty();
        }
        return Optional.of(future.thenApply(FutureCache::unstamp));
    }

    /** Removes every entry past its lifetime; lookups also drop such entries as they meet them. */
    private void sweepExpired() {
        if (ttlNanos >= 0) {
            cache.asMap().forEach((key, future) -> expiredByStamp(key, future));
        }
    }

    /**
     * Caffeine learns that an async value completed in a callback that may run a moment after the
     * value's waiters wake, and until then treats the entry as in flight (never expiring). The stamp
     * is authoritative: an entry whose stamp is older than the lifetime is removed here, so expiry
     * is exact whatever the callback's timing.
     */
    private boolean expiredByStamp(K key, CompletableFuture<Stamped<V>> future) {
        if (ttlNanos < 0 || !future.isDone() || future.isCompletedExceptionally()) {
            return false;
        }
        Stamped<V> stamped = future.getNow(null);
        if (stamped == null
                || stamped.failure() != null
                || clock.monotonicNanos() - stamped.storedAtNanos() < ttlNanos) {
            return false;
        }
        if (cache.asMap().remove(key, future)) {
            expiredByStamp.increment();
        }
        return true;
    }

    /** Stores {@code value} for {@code key}, replacing any entry or in-flight lookup. */
    public void put(K key, V value) {
        cache.put(key, CompletableFuture.completedFuture(stamp(Objects.requireNonNull(value, "value"))));
    }

    /** Removes {@code key}. */
    public void invalidate(K key) {
        cache.synchronous().invalidate(key);
    }

    /** Removes every entry. */
    public void invalidateAll() {
        cache.synchronous().invalidateAll();
        LOG.debug("Cache {}: invalidated all entries", name);
    }

    /**
     * Removes every key whose leading parts equal {@code prefix}. A {@link CacheKey} is compared
     * part by part; any other key counts as a single part.
     *
     * @return how many entries were removed
     */
    public int invalidatePrefix(Object... prefix) {
        List<Object> wanted = List.of(prefix);
        int[] removed = {0};
        cache.asMap().keySet().removeIf(key -> {
            boolean match = partsOf(key).startsWith(wanted);
            if (match) {
                removed[0]++;
            }
            return match;
        });
        LOG.debug("Cache {}: invalidated {} entries under {}", name, removed[0], wanted);
        return removed[0];
    }

    private static <V> V unstamp(Stamped<V> stamped) {
        if (stamped == null) {
            return null;
        }
        if (stamped.failure() != null) {
            throw stamped.failure() instanceof CompletionException completion
                    ? completion
                    : new CompletionException(stamped.failure());
        }
        return stamped.value();
    }

    private static CacheKey partsOf(Object key) {
        return key instanceof CacheKey cacheKey ? cacheKey : CacheKey.of(key);
    }

    /** Approximate number of entries, counting in-flight lookups. */
    public long size() {
        cache.synchronous().cleanUp();
        return cache.synchronous().estimatedSize();
    }

    /**
     * The cache's counters since it was created. A lookup is counted as a load when its future
     * completes, by a callback that may run just after the callers' own callbacks.
     */
    public CacheStats stats() {
        sweepExpired();
        cache.synchronous().cleanUp();
        com.github.benmanes.caffeine.cache.stats.CacheStats s =
                cache.synchronous().stats();
        return new CacheStats(
                s.hitCount(),
                s.missCount(),
                s.loadCount(),
                s.loadFailureCount() + loadFailures.sum(),
                s.evictionCount() + expiredByStamp.sum());
    }

    @Override
    public String toString() {
        return "FutureCache[" + name + "]";
    }

    /**
     * A value with the clock reading taken the moment its lookup finished, before any caller can
     * see it. Expiry counts from this stamp rather than from when the cache's own completion
     * callback happens to run, so an entry's lifetime is exact on a fake clock.
     */
    private record Stamped<V>(V value, long storedAtNanos, Throwable failure) {
        /** A lookup that failed with {@code failure}; never served, only handed to its waiters. */
        static <V> Stamped<V> failedWith(Throwable failure) {
            return new Stamped<>(null, 0, failure);
        }
    }

    private static long nanos(Duration ttl) {
        try {
            return ttl.toNanos();
        } catch (ArithmeticException e) {
            return Long.MAX_VALUE;
        }
    }

    /** Configures a {@link FutureCache}. */
    public static final class Builder {
        private final String name;
        private long maximumSize = -1;
        private Duration expireAfterWrite;
        private Clock clock = SystemClock.INSTANCE;
        private Executor loaderExecutor = task -> Thread.ofVirtual().start(task);

        private Builder(String name) {
            this.name = Objects.requireNonNull(name, "name");
        }

        /** Bounds the number of entries; the least useful are evicted first. Unbounded by default. */
        public Builder maximumSize(long maximumSize) {
            if (maximumSize < 0) {
                throw new IllegalArgumentException("maximumSize must not be negative: " + maximumSize);
            }
            this.maximumSize = maximumSize;
            return this;
        }

        /** Drops an entry this long after it was stored (on the {@link #clock}). Never by default. */
        public Builder expireAfterWrite(Duration duration) {
            if (duration.isNegative()) {
                throw new IllegalArgumentException("expireAfterWrite must not be negative: " + duration);
            }
            this.expireAfterWrite = duration;
            return this;
        }

        /** The clock that measures entry age; the system clock by default. */
        public Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        /** Where blocking loaders passed to {@link FutureCache#get} run; a new virtual thread each by default. */
        public Builder loaderExecutor(Executor executor) {
            this.loaderExecutor = Objects.requireNonNull(executor, "executor");
            return this;
        }

        /** Builds the cache. */
        public <K, V> FutureCache<K, V> build() {
            return new FutureCache<>(this);
        }
    }
}
