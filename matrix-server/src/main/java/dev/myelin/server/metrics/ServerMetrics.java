package dev.myelin.server.metrics;

import dev.myelin.core.time.Clock;
import dev.myelin.federation.backoff.DestinationBackoff;
import dev.myelin.federation.sender.TransactionOutcomes;
import dev.myelin.federation.sender.TransactionSender;
import dev.myelin.http.server.MetricsSource;
import dev.myelin.http.server.RequestObserver;
import dev.myelin.server.handler.sync.Notifier;
import dev.myelin.storage.Database;
import dev.myelin.storage.persist.EventPersister;
import io.prometheus.metrics.core.metrics.CounterWithCallback;
import io.prometheus.metrics.core.metrics.GaugeWithCallback;
import io.prometheus.metrics.expositionformats.ExpositionFormatWriter;
import io.prometheus.metrics.expositionformats.ExpositionFormats;
import io.prometheus.metrics.instrumentation.jvm.JvmMetrics;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import org.jspecify.annotations.Nullable;

/**
 * This process's Prometheus metrics, served at {@code /_synapse/metrics} on the listeners with the
 * {@code metrics} resource when {@code enable_metrics} is true. Everything is registered in one
 * registry of its own (never the library's process-wide default), so that several homeservers in
 * one JVM (tests) keep their numbers apart. Counters kept by the components themselves are read
 * when scraped, so the hot paths pay one increment at most.
 */
public final class ServerMetrics implements MetricsSource {
    private final PrometheusRegistry registry;
    private final HttpMetrics http;
    private final ExpositionFormats formats = ExpositionFormats.init();

    /** Registers the JVM's, the HTTP server's and the database's metrics. */
    public ServerMetrics(PrometheusRegistry registry, Clock clock, Database database) {
        this.registry = registry;
        this.http = new HttpMetrics(registry);
        database.observeTransactions(new DatabaseMetrics(registry, clock, database));
        JvmMetrics.builder().register(registry);
        VirtualThreadMetrics.register(registry);
    }

    /** What the HTTP server tells of each request. */
    public RequestObserver requests() {
        return http;
    }

    /** Exports the count of persisted events and the sync long-polls of {@code notifier}. */
    public void watchEvents(EventPersister persister, Notifier notifier) {
        CounterWithCallback.builder()
                .name("myelin_events_persisted_total")
                .help("Events this process stored (received and created; duplicates not counted)")
                .callback(callback -> callback.call(persister.persistedEvents()))
                .register(registry);
        GaugeWithCallback.builder()
                .name("myelin_sync_long_polls")
                .help("Syncs waiting now for something new to happen")
                .callback(callback -> callback.call(notifier.listenerCount()))
                .register(registry);
        CounterWithCallback.builder()
                .name("myelin_sync_long_polls_woken_total")
                .help("Waiting syncs woken by something new (not by their timeout)")
                .callback(callback -> callback.call(notifier.wokenCount()))
                .register(registry);
    }

    /** Exports the outcomes of outbound federation transactions and the destinations in backoff. */
    public void watchFederation(TransactionSender sender, DestinationBackoff backoff) {
        TransactionOutcomes outcomes = sender.outcomes();
        CounterWithCallback.builder()
                .name("myelin_federation_transactions_total")
                .help("Attempts to send a federation transaction, by result "
                        + "(sent, failed: unreachable, retry: 401/429/5xx, refused: other 4xx, denied: not allowed)")
                .labelNames("result")
                .callback(callback -> {
                    for (TransactionOutcomes.Outcome outcome : TransactionOutcomes.Outcome.values()) {
                        callback.call(outcomes.count(outcome), outcome.label());
                    }
                })
                .register(registry);
        GaugeWithCallback.builder()
                .name("myelin_federation_destinations_in_backoff")
                .help("Remote servers not tried until their retry time (of those this process has tried)")
                .callback(callback -> callback.call(backoff.inBackoffCount()))
                .register(registry);
    }

    @Override
    public Scrape scrape(@Nullable String accept) {
        ExpositionFormatWriter writer = formats.findWriter(accept);
        ByteArrayOutputStream out = new ByteArrayOutputStream(64 * 1024);
        try {
            writer.write(out, registry.scrape());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return new Scrape(writer.getContentType(), out.toByteArray());
    }
}
