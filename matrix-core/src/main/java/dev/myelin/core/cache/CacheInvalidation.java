package dev.myelin.core.cache;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/**
 * The one way a cache learns that what it holds has changed. A cache registers under a name with
 * what to do when keys of it go stale; whoever changes the underlying data calls {@link #invalidate}
 * with that name and the keys (once its transaction has committed, or before it commits when a
 * spurious miss is harmless). Listeners see every local invalidation: worker replication forwards
 * them to the other processes, which {@link #apply} them to their own caches.
 *
 * <p>Keys are strings (a room id, a user id, an access token) so that they cross process
 * boundaries as they are. An empty key list means every key of the cache.
 */
public final class CacheInvalidation {
    /** Told of every invalidation made in this process. */
    public interface Listener {
        /** {@code keys} of {@code cache} went stale (all of them when empty). */
        void invalidated(String cache, List<String> keys);
    }

    private final Map<String, List<Consumer<List<String>>>> caches = new ConcurrentHashMap<>();
    private final List<Listener> listeners = new CopyOnWriteArrayList<>();
    private final Map<String, List<java.util.function.Supplier<CacheReport>>> reports = new ConcurrentHashMap<>();

    /** Registers {@code drop} to run with the stale keys of {@code cache} (empty: all of them). */
    public void register(String cache, Consumer<List<String>> drop) {
        caches.computeIfAbsent(cache, c -> new CopyOnWriteArrayList<>()).add(drop);
    }

    /** Adds a listener of every invalidation made in this process. */
    public void addListener(Listener listener) {
        listeners.add(listener);
    }

    /** This process changed {@code keys} of {@code cache}: drops them here and tells the listeners. */
    public void invalidate(String cache, List<String> keys) {
        apply(cache, keys);
        for (Listener listener : listeners) {
            listener.invalidated(cache, keys);
        }
    }

    /** {@link #invalidate} of one key. */
    public void invalidate(String cache, String key) {
        invalidate(cache, List.of(key));
    }

    /** Another process changed {@code keys} of {@code cache}: drops them here only. */
    public void apply(String cache, List<String> keys) {
        List<String> copy = List.copyOf(keys);
        for (Consumer<List<String>> drop : caches.getOrDefault(cache, List.of())) {
            drop.accept(copy);
        }
    }

    /** The names caches registered under (for metrics and the replication's own checks). */
    public java.util.Set<String> names() {
        return java.util.Set.copyOf(caches.keySet());
    }

    /** Registers where the current {@link CacheReport} of a cache named {@code cache} is read (for metrics). */
    public void reportStats(String cache, java.util.function.Supplier<CacheReport> report) {
        reports.computeIfAbsent(cache, c -> new CopyOnWriteArrayList<>()).add(report);
    }

    /** The current report of each cache that {@linkplain #reportStats reports}, by name. */
    public Map<String, CacheReport> reports() {
        Map<String, CacheReport> out = new java.util.TreeMap<>();
        reports.forEach((name, suppliers) -> {
            CacheReport sum = new CacheReport(0, 0, 0, 0);
            for (java.util.function.Supplier<CacheReport> supplier : suppliers) {
                sum = sum.plus(supplier.get());
            }
            out.put(name, sum);
        });
        return out;
    }
}
