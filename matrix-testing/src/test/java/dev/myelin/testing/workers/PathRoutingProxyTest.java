package dev.myelin.testing.workers;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import dev.myelin.testing.workers.PathRoutingProxy.Backend;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The proxy in front of a worker deployment, against stand-in backends that echo what reached
 * them: which process each path goes to, that one user's /sync always reaches the same sync
 * worker, that event sends alternate between the writers, that headers and bodies pass both
 * ways, and that a backend that is down is a 502 Matrix error.
 */
class PathRoutingProxyTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final List<HttpServer> backends = new ArrayList<>();
    private final HttpClient http =
            HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private PathRoutingProxy proxy;

    @BeforeEach
    void start() throws IOException {
        Backend down = new Backend("down1", URI.create("http://127.0.0.1:" + FreePorts.next()));
        proxy = PathRoutingProxy.start(
                0,
                echo("main"),
                List.of(echo("sync1"), echo("sync2")),
                List.of(echo("persister1"), echo("persister2"), down));
    }

    @AfterEach
    void stop() {
        proxy.close();
        backends.forEach(b -> b.stop(0));
        http.close();
    }

    @Test
    void routesSyncToOneSyncWorkerPerTokenEventWritesInTurnAndTheRestToMain() throws Exception {
        for (String path : List.of(
                "/_matrix/client/v3/sync",
                "/_matrix/client/r0/sync",
                "/_matrix/client/v3/events",
                "/_matrix/client/r0/initialSync",
                "/_matrix/client/v3/rooms/!r:x/initialSync")) {
            assertThat(proxy.route(path, Optional.of("tok")).name()).as(path).startsWith("sync");
            assertThat(proxy.route(path, Optional.of("tok")))
                    .as(path)
                    .isEqualTo(proxy.route("/_matrix/client/v3/sync", Optional.of("tok")));
        }
        Set<String> syncWorkers = new HashSet<>();
        for (int i = 0; i < 20; i++) {
            syncWorkers.add(proxy.route("/_matrix/client/v3/sync", Optional.of("token" + i))
                    .name());
        }
        assertThat(syncWorkers).as("tokens spread over the sync workers").containsExactlyInAnyOrder("sync1", "sync2");

        List<String> writers = new ArrayList<>();
        for (String path : List.of(
                "/_matrix/client/v3/rooms/!r:x/send/m.room.message/t1",
                "/_matrix/client/r0/rooms/!r:x/state/m.room.topic/",
                "/_matrix/client/v3/rooms/!r:x/redact/$e/t2",
                "/_matrix/client/v3/rooms/!r:x/send/m.room.message/t3")) {
            writers.add(proxy.route(path, Optional.empty()).name());
        }
        assertThat(writers).containsExactly("persister1", "persister2", "down1", "persister1");

        for (String path : List.of(
                "/_matrix/client/v3/rooms/!r:x/messages",
                "/_matrix/client/v3/rooms/!r:x/sendx",
                "/_matrix/client/v3/sync/extra",
                "/_matrix/client/v3/profile/@a:x/displayname",
                "/_matrix/federation/v1/version",
                "/")) {
            assertThat(proxy.route(path, Optional.of("tok")).name()).as(path).isEqualTo("main");
        }
    }

    @Test
    void passesTheQueryHeadersAndBodyAndTheAnswerBack() throws Exception {
        HttpResponse<String> sync = http.send(
                HttpRequest.newBuilder(URI.create(proxy.url() + "/_matrix/client/v3/sync?since=s1&timeout=0"))
                        .header("Authorization", "Bearer alice-token")
                        .header("X-Custom", "kept")
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        JsonNode seen = JSON.readTree(sync.body());
        assertThat(sync.statusCode()).isEqualTo(200);
        assertThat(seen.get("backend").asText())
                .isEqualTo(proxy.route("/_matrix/client/v3/sync", Optional.of("alice-token"))
                        .name());
        assertThat(seen.get("path").asText()).isEqualTo("/_matrix/client/v3/sync");
        assertThat(seen.get("query").asText()).isEqualTo("since=s1&timeout=0");
        assertThat(seen.get("authorization").asText()).isEqualTo("Bearer alice-token");
        assertThat(seen.get("custom").asText()).isEqualTo("kept");
        assertThat(sync.headers().firstValue("X-Backend"))
                .hasValue(seen.get("backend").asText());

        HttpResponse<String> byQuery = http.send(
                HttpRequest.newBuilder(URI.create(proxy.url() + "/_matrix/client/v3/sync?access_token=alice-token"))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(JSON.readTree(byQuery.body()).get("backend").asText())
                .as("a token in the query picks the same sync worker")
                .isEqualTo(seen.get("backend").asText());

        byte[] big = "x".repeat(1 << 20).getBytes(StandardCharsets.UTF_8);
        HttpResponse<String> upload = http.send(
                HttpRequest.newBuilder(URI.create(proxy.url() + "/_matrix/media/v3/upload?filename=a%20b"))
                        .POST(HttpRequest.BodyPublishers.ofByteArray(big))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        JsonNode uploaded = JSON.readTree(upload.body());
        assertThat(uploaded.get("backend").asText()).isEqualTo("main");
        assertThat(uploaded.get("method").asText()).isEqualTo("POST");
        assertThat(uploaded.get("query").asText()).isEqualTo("filename=a%20b");
        assertThat(uploaded.get("bodyBytes").asInt()).isEqualTo(big.length);

        HttpResponse<String> put = http.send(
                HttpRequest.newBuilder(
                                URI.create(proxy.url() + "/_matrix/client/v3/rooms/%21r%3Ax/send/m.room.message/t1"))
                        .PUT(HttpRequest.BodyPublishers.ofString("{\"body\":\"hi\"}"))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        JsonNode sent = JSON.readTree(put.body());
        assertThat(sent.get("backend").asText()).isEqualTo("persister1");
        assertThat(sent.get("path").asText())
                .as("the path goes on still encoded")
                .isEqualTo("/_matrix/client/v3/rooms/%21r%3Ax/send/m.room.message/t1");
        assertThat(sent.get("bodyBytes").asInt()).isEqualTo(13);
    }

    @Test
    void aBackendThatIsDownIsA502MatrixError() throws Exception {
        for (int i = 0; i < 3; i++) { // the third writer in turn is the one that is down
            HttpResponse<String> response = http.send(
                    HttpRequest.newBuilder(
                                    URI.create(proxy.url() + "/_matrix/client/v3/rooms/!r:x/send/m.room.message/t" + i))
                            .PUT(HttpRequest.BodyPublishers.ofString("{}"))
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            if (i < 2) {
                assertThat(response.statusCode()).isEqualTo(200);
                continue;
            }
            assertThat(response.statusCode()).isEqualTo(502);
            assertThat(response.headers().firstValue("Content-Type")).hasValue("application/json");
            JsonNode error = JSON.readTree(response.body());
            assertThat(error.get("errcode").asText()).isEqualTo("M_UNKNOWN");
            assertThat(error.get("error").asText()).contains("down1");
        }
    }

    /** A backend answering every request with what it received, as JSON, and an {@code X-Backend} header. */
    private Backend echo(String name) throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 16);
        server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        server.createContext("/", exchange -> {
            try (exchange) {
                byte[] body = exchange.getRequestBody().readAllBytes();
                var reply = JSON.createObjectNode()
                        .put("backend", name)
                        .put("method", exchange.getRequestMethod())
                        .put("path", exchange.getRequestURI().getRawPath())
                        .put("query", exchange.getRequestURI().getRawQuery())
                        .put("authorization", exchange.getRequestHeaders().getFirst("Authorization"))
                        .put("custom", exchange.getRequestHeaders().getFirst("X-Custom"))
                        .put("bodyBytes", body.length);
                byte[] out = JSON.writeValueAsBytes(reply);
                exchange.getResponseHeaders().set("Content-Type", "application/json");
                exchange.getResponseHeaders().set("X-Backend", name);
                exchange.sendResponseHeaders(200, out.length);
                try (OutputStream o = exchange.getResponseBody()) {
                    o.write(out);
                }
            }
        });
        server.start();
        backends.add(server);
        return new Backend(
                name, URI.create("http://127.0.0.1:" + server.getAddress().getPort()));
    }
}
