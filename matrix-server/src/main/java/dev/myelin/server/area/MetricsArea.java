package dev.myelin.server.area;

import dev.myelin.server.metrics.ServerMetrics;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.util.Optional;

/**
 * The Prometheus metrics ({@code enable_metrics}): one registry for this homeserver, filled from
 * the core, the rooms' persister and the federation sender. Served by the HTTP server on the
 * listeners with the {@code metrics} resource.
 */
public final class MetricsArea {
    /** The path Synapse serves its metrics at, which dashboards and scrape configs already use. */
    public static final String PATH = "/_synapse/metrics";

    private MetricsArea() {}

    /** The metrics when {@code enabled}, registered over what the given areas built; else empty. */
    public static Optional<ServerMetrics> install(
            boolean enabled, Core core, RoomCore roomCore, FederationOutbound federation) {
        if (!enabled) {
            return Optional.empty();
        }
        ServerMetrics metrics = new ServerMetrics(new PrometheusRegistry(), core.clock(), core.database());
        metrics.watchEvents(roomCore.persister(), core.notifier());
        metrics.watchFederation(federation.sender(), federation.backoff());
        return Optional.of(metrics);
    }
}
