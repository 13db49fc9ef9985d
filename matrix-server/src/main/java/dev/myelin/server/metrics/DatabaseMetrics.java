package dev.myelin.server.metrics;

import dev.myelin.core.cache.CacheReport;
import dev.myelin.core.time.Clock;
import dev.myelin.storage.Database;
import io.prometheus.metrics.core.datapoints.DistributionDataPoint;
import io.prometheus.metrics.core.metrics.CounterWithCallback;
import io.prometheus.metrics.core.metrics.GaugeWithCallback;
import io.prometheus.metrics.core.metrics.Histogram;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.util.Map;

/**
 * The database's metrics: how long transactions take, how its connection pools are used, and
 * the caches in front of it (which report through the database's cache invalidation, where every
 * named cache is registered).
 */
final class DatabaseMetrics implements Database.TransactionObserver {
    private static final double[] BUCKETS = {0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 5};

    private final Clock clock;
    private final DistributionDataPoint reads;
    private final DistributionDataPoint writes;

    DatabaseMetrics(PrometheusRegistry registry, Clock clock, Database database) {
        this.clock = clock;
        Histogram transactions = Histogram.builder()
                .name("myelin_db_transaction_duration_seconds")
                .help("Time a database transaction took, its retries and the wait for a connection included")
                .labelNames("kind")
                .classicOnly()
                .classicUpperBounds(BUCKETS)
                .register(registry);
        // resolved once: observing a transaction then looks nothing up
        reads = transactions.labelValues("read");
        writes = transactions.labelValues("write");
        GaugeWithCallback.builder()
                .name("myelin_db_pool_connections")
                .help("Database connections of each pool, by state (active: lent out; idle; max: the bound)")
                .labelNames("pool", "state")
                .callback(callback -> {
                    for (Database.PoolUsage pool : database.poolUsage()) {
                        callback.call(pool.active(), pool.pool(), "active");
                        callback.call(pool.idle(), pool.pool(), "idle");
                        callback.call(pool.max(), pool.pool(), "max");
                    }
                })
                .register(registry);
        GaugeWithCallback.builder()
                .name("myelin_db_pool_waiting_threads")
                .help("Threads waiting for a connection of each pool")
                .labelNames("pool")
                .callback(callback -> {
                    for (Database.PoolUsage pool : database.poolUsage()) {
                        callback.call(pool.waiting(), pool.pool());
                    }
                })
                .register(registry);
        registerCaches(registry, database);
    }

    private static void registerCaches(PrometheusRegistry registry, Database database) {
        GaugeWithCallback.builder()
                .name("myelin_cache_size")
                .help("Entries held by each named cache")
                .labelNames("cache")
                .callback(callback -> reports(database).forEach((name, r) -> callback.call(r.size(), name)))
                .register(registry);
        CounterWithCallback.builder()
                .name("myelin_cache_hits_total")
                .help("Lookups each named cache answered")
                .labelNames("cache")
                .callback(callback -> reports(database).forEach((name, r) -> callback.call(r.hits(), name)))
                .register(registry);
        CounterWithCallback.builder()
                .name("myelin_cache_misses_total")
                .help("Lookups each named cache could not answer")
                .labelNames("cache")
                .callback(callback -> reports(database).forEach((name, r) -> callback.call(r.misses(), name)))
                .register(registry);
        CounterWithCallback.builder()
                .name("myelin_cache_evictions_total")
                .help("Entries each named cache dropped to stay within its size bound")
                .labelNames("cache")
                .callback(callback -> reports(database).forEach((name, r) -> callback.call(r.evictions(), name)))
                .register(registry);
    }

    private static Map<String, CacheReport> reports(Database database) {
        return database.invalidation().reports();
    }

    @Override
    public long begin() {
        return clock.monotonicNanos();
    }

    @Override
    public void end(long begun, boolean write) {
        (write ? writes : reads).observe((clock.monotonicNanos() - begun) / 1e9);
    }
}
