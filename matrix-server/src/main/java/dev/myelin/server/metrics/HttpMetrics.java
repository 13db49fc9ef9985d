package dev.myelin.server.metrics;

import dev.myelin.http.server.RequestObserver;
import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.Histogram;
import io.prometheus.metrics.model.registry.PrometheusRegistry;

/**
 * Counts and times the requests the HTTP server answers, by endpoint (its path template, so the
 * label values stay few), method and status.
 */
final class HttpMetrics implements RequestObserver {
    /** Seconds: from a cached read to a long-polling sync's 30 s. */
    private static final double[] BUCKETS = {0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60};

    /** Status codes as label values, made once: a request then allocates no string for its label. */
    private static final String[] STATUS = statusLabels();

    private final Counter requests;
    private final Histogram duration;

    HttpMetrics(PrometheusRegistry registry) {
        requests = Counter.builder()
                .name("myelin_http_requests_total")
                .help("HTTP requests answered, by endpoint path template, method and status")
                .labelNames("endpoint", "method", "status")
                .register(registry);
        duration = Histogram.builder()
                .name("myelin_http_request_duration_seconds")
                .help("Time from a request's arrival to its response, by endpoint path template and method")
                .labelNames("endpoint", "method")
                .classicOnly()
                .classicUpperBounds(BUCKETS)
                .register(registry);
    }

    @Override
    public void completed(String endpoint, String method, int status, long nanos) {
        String statusLabel = status >= 100 && status < STATUS.length ? STATUS[status] : Integer.toString(status);
        requests.labelValues(endpoint, method, statusLabel).inc();
        duration.labelValues(endpoint, method).observe(nanos / 1e9);
    }

    private static String[] statusLabels() {
        String[] labels = new String[600];
        for (int i = 100; i < labels.length; i++) {
            labels[i] = Integer.toString(i);
        }
        return labels;
    }
}
