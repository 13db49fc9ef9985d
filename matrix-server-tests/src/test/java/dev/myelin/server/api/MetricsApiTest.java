package dev.myelin.server.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.myelin.http.endpoint.EndpointCall;
import dev.myelin.server.api.client.sync.SyncEndpoint;
import dev.myelin.testing.TestClient;
import dev.myelin.testing.TestHomeserver;
import dev.myelin.testing.TestResponse;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@code /_synapse/metrics}: served in Prometheus' text format on the listener configured with the
 * {@code metrics} resource (and {@code enable_metrics: true}) only, and its counters follow what
 * the server does.
 */
class MetricsApiTest {
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    private static final Pattern SAMPLE = Pattern.compile("^([a-zA-Z_:][a-zA-Z0-9_:]*)(\\{(.*)})? (\\S+)$");
    private static final Pattern LABEL = Pattern.compile("([a-zA-Z_][a-zA-Z0-9_]*)=\"((?:[^\"\\\\]|\\\\.)*)\"");

    private final HttpClient http =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private TestHomeserver hs;
    private int clientPort;
    private int metricsPort;

    /** One sample of the scrape: the metric's name, its labels and value. */
    record Sample(String name, Map<String, String> labels, double value) {}

    @BeforeEach
    void start() {
        hs = TestHomeserver.builder()
                .listenOnLoopback()
                .config("enable_metrics", "true")
                .config(
                        "listeners",
                        "[{port: 0, bind_addresses: ['127.0.0.1'], type: http, resources: [{names: [client]}]},"
                                + " {port: 0, bind_addresses: ['127.0.0.1'], type: http, resources: [{names: [metrics]}]}]")
                .start();
        List<Integer> ports = hs.homeserver().http().ports();
        clientPort = ports.get(0);
        metricsPort = ports.get(1);
    }

    @AfterEach
    void stop() {
        hs.close();
    }

    @Test
    void theMetricsListenerServesPrometheusTextAndNothingElse() throws Exception {
        HttpResponse<String> scrape = get(metricsPort, "/_synapse/metrics");
        assertThat(scrape.statusCode()).isEqualTo(200);
        assertThat(scrape.headers().firstValue("Content-Type").orElseThrow()).startsWith("text/plain; version=0.0.4");
        List<Sample> samples = parse(scrape.body());
        assertThat(samples)
                .extracting(Sample::name)
                .contains(
                        "jvm_memory_used_bytes",
                        "jvm_threads_current",
                        "myelin_events_persisted_total",
                        "myelin_sync_long_polls",
                        "myelin_db_pool_connections",
                        "myelin_cache_size",
                        "myelin_federation_destinations_in_backoff");
        assertThat(value(samples, "myelin_federation_transactions_total", Map.of("result", "sent")))
                .contains(0.0);

        HttpResponse<String> apiOnMetrics = get(metricsPort, "/_matrix/client/versions");
        assertThat(apiOnMetrics.statusCode()).isEqualTo(404);
        assertThat(apiOnMetrics.body()).contains("M_UNRECOGNIZED");
        assertThat(post(metricsPort, "/_synapse/metrics").statusCode()).isEqualTo(405);
    }

    @Test
    void theClientListenerDoesNotServeMetrics() throws Exception {
        assertThat(get(clientPort, "/_matrix/client/versions").statusCode()).isEqualTo(200);
        HttpResponse<String> metrics = get(clientPort, "/_synapse/metrics");
        assertThat(metrics.statusCode()).isEqualTo(404);
        assertThat(metrics.body()).contains("M_UNRECOGNIZED");
    }

    @Test
    void countersFollowRequestsEventsAndTransactions() throws Exception {
        List<Sample> before = scrape();
        double persistedBefore =
                value(before, "myelin_events_persisted_total", Map.of()).orElseThrow();

        TestClient alice = hs.registerUser("alice");
        String room = alice.createRoom(NODES.objectNode());
        alice.sendMessage(room, "counted");
        alice.get("/_matrix/client/v3/rooms/" + TestClient.encode("!nope:" + hs.serverName()) + "/state")
                .expect(404);

        List<Sample> after = scrape();
        assertThat(value(
                        after,
                        "myelin_http_requests_total",
                        Map.of("endpoint", "/_matrix/client/v3/createRoom", "method", "POST", "status", "200")))
                .contains(1.0);
        assertThat(value(
                        after,
                        "myelin_http_requests_total",
                        Map.of(
                                "endpoint",
                                "/_matrix/client/v3/rooms/{roomId}/state",
                                "method",
                                "GET",
                                "status",
                                "404")))
                .contains(1.0);
        assertThat(value(
                        after,
                        "myelin_http_request_duration_seconds_count",
                        Map.of("endpoint", "/_matrix/client/v3/createRoom", "method", "POST")))
                .contains(1.0);
        // createRoom's events (create, member, power levels, join rules, history visibility) and the message
        assertThat(value(after, "myelin_events_persisted_total", Map.of()).orElseThrow() - persistedBefore)
                .isGreaterThanOrEqualTo(6);
        assertThat(value(after, "myelin_db_transaction_duration_seconds_count", Map.of("kind", "write"))
                        .orElseThrow())
                .isGreaterThan(value(before, "myelin_db_transaction_duration_seconds_count", Map.of("kind", "write"))
                        .orElseThrow());
        double lookups = after.stream()
                .filter(s ->
                        s.name().equals("myelin_cache_hits_total") || s.name().equals("myelin_cache_misses_total"))
                .mapToDouble(Sample::value)
                .sum();
        assertThat(lookups).isPositive();
        // SQLite's one writer, or PostgreSQL's pool
        assertThat(value(after, "myelin_db_pool_connections", Map.of("pool", "writer", "state", "max"))
                        .orElseThrow())
                .isGreaterThanOrEqualTo(1.0);
    }

    @Test
    void aWaitingSyncIsCountedAndItsWakingToo() throws Exception {
        TestClient alice = hs.registerUser("alice");
        String room = alice.createRoom(NODES.objectNode());
        String since = alice.sync(null, Map.of()).path("next_batch").asText();
        // drained: what the first sync itself changed (presence) is not left for the long-poll to find
        since = alice.sync(since, Map.of()).path("next_batch").asText();
        String from = since;
        double wokenBefore =
                value(scrape(), "myelin_sync_long_polls_woken_total", Map.of()).orElseThrow();

        CompletableFuture<TestResponse> waiting = new CompletableFuture<>();
        Thread.ofVirtual()
                .start(() -> waiting.complete(alice.call(
                        EndpointCall.of(SyncEndpoint.SPEC).query("since", from).query("timeout", 60_000))));
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (value(scrape(), "myelin_sync_long_polls", Map.of()).orElseThrow() < 1) {
            assertThat(System.nanoTime()).as("a sync waits").isLessThan(deadline);
            Thread.sleep(20);
        }
        alice.sendMessage(room, "wake up");
        assertThat(waiting.get(20, TimeUnit.SECONDS).status()).isEqualTo(200);

        List<Sample> after = scrape();
        assertThat(value(after, "myelin_sync_long_polls", Map.of())).contains(0.0);
        assertThat(value(after, "myelin_sync_long_polls_woken_total", Map.of()).orElseThrow())
                .isGreaterThan(wokenBefore);
    }

    private List<Sample> scrape() throws IOException, InterruptedException {
        HttpResponse<String> response = get(metricsPort, "/_synapse/metrics");
        assertThat(response.statusCode()).isEqualTo(200);
        return parse(response.body());
    }

    private HttpResponse<String> get(int port, String path) throws IOException, InterruptedException {
        return http.send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                        .timeout(Duration.ofSeconds(10))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> post(int port, String path) throws IOException, InterruptedException {
        return http.send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                        .timeout(Duration.ofSeconds(10))
                        .POST(HttpRequest.BodyPublishers.ofString("{}"))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }

    /** The samples of a scrape in Prometheus' text format; every non-comment line must be one. */
    static List<Sample> parse(String text) {
        List<Sample> samples = new ArrayList<>();
        for (String line : text.split("\n")) {
            if (line.isBlank() || line.startsWith("#")) {
                continue;
            }
            Matcher m = SAMPLE.matcher(line);
            assertThat(m.matches()).as("a sample line: %s", line).isTrue();
            Map<String, String> labels = new LinkedHashMap<>();
            if (m.group(3) != null) {
                Matcher label = LABEL.matcher(m.group(3));
                while (label.find()) {
                    labels.put(label.group(1), label.group(2));
                }
            }
            samples.add(new Sample(m.group(1), labels, Double.parseDouble(m.group(4))));
        }
        return samples;
    }

    /** The value of the sample named {@code name} whose labels include {@code labels}. */
    static Optional<Double> value(List<Sample> samples, String name, Map<String, String> labels) {
        return samples.stream()
                .filter(s -> s.name().equals(name) && s.labels().entrySet().containsAll(labels.entrySet()))
                .map(Sample::value)
                .findFirst();
    }
}
