package dev.myelin.http.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.myelin.core.time.ManualClock;
import dev.myelin.http.server.AuthRequirement;
import dev.myelin.http.server.Endpoint;
import dev.myelin.http.server.HttpMethod;
import dev.myelin.http.server.HttpServer;
import dev.myelin.http.server.MatrixResponse;
import dev.myelin.http.server.Router;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class InstanceRoutingTest {

    @TempDir
    Path dir;

    private HttpServer tcpWorker;
    private HttpServer unixWorker;
    private Path socket;

    private static Router router(String name) {
        return new Router()
                .register(Endpoint.of(
                        HttpMethod.POST,
                        "/_synapse/replication/{what}",
                        AuthRequirement.NONE,
                        req -> MatrixResponse.ok(JsonNodeFactory.instance
                                .objectNode()
                                .put("instance", name)
                                .put("what", req.pathParam("what"))
                                .put("stream", req.queryParam("stream").orElse(""))
                                .put("host", req.header("Host").orElse(""))
                                .set("body", req.jsonObject()))));
    }

    @BeforeEach
    void startWorkers() {
        tcpWorker = HttpServer.builder(router("main"), new ManualClock())
                .listen("127.0.0.1", 0)
                .build();
        tcpWorker.start();
        socket = dir.resolve("worker.sock");
        unixWorker = HttpServer.builder(router("worker1"), new ManualClock())
                .listenUnix(socket)
                .build();
        unixWorker.start();
    }

    @AfterEach
    void stopWorkers() {
        tcpWorker.stop();
        unixWorker.stop();
    }

    private MatrixHttpClient client(ProxySettings proxy) {
        return MatrixHttpClient.create(OutboundConfig.defaults()
                .withProxy(proxy)
                .withInstances(Map.of(
                        "main", new InstanceAddress.Tcp("127.0.0.1", tcpWorker.port()),
                        "event_persister1", new InstanceAddress.UnixSocket(socket))));
    }

    private static OutboundRequest post(String uri, String json) {
        return new OutboundRequest(
                "POST",
                URI.create(uri),
                Map.of(),
                Optional.of(new OutboundRequest.Body("application/json", json.getBytes(StandardCharsets.UTF_8))));
    }

    private static String body(OutboundResponse response) {
        return new String(response.body(), StandardCharsets.UTF_8);
    }

    @Test
    void replicationUriReachesTcpInstanceDespiteTheLoopbackBlock() {
        try (var client = client(ProxySettings.none())) {
            var response =
                    client.send(post("replication://main/_synapse/replication/presence?stream=a%26b", "{\"n\":1}"));

            assertThat(response.status()).isEqualTo(200);
            assertThat(body(response))
                    .isEqualTo("{\"instance\":\"main\",\"what\":\"presence\",\"stream\":\"a&b\","
                            + "\"host\":\"127.0.0.1:" + tcpWorker.port() + "\",\"body\":{\"n\":1}}");
        }
    }

    @Test
    void replicationUriReachesUnixSocketInstance() {
        try (var client = client(ProxySettings.none())) {
            var response = client.send(post("replication://event_persister1/_synapse/replication/send_event", "{}"));

            assertThat(response.status()).isEqualTo(200);
            assertThat(body(response))
                    .isEqualTo("{\"instance\":\"worker1\",\"what\":\"send_event\",\"stream\":\"\","
                            + "\"host\":\"localhost\",\"body\":{}}");
        }
    }

    @Test
    void theSameAddressAsAPlainUrlIsStillBlocked() {
        try (var client = client(ProxySettings.none())) {
            client.send(post("replication://main/_synapse/replication/x", "{}"));

            assertThatThrownBy(() ->
                            client.send(post("http://127.0.0.1:" + tcpWorker.port() + "/_synapse/replication/x", "{}")))
                    .isInstanceOf(BlockedDestinationException.class);
        }
    }

    @Test
    void instancesNeverGoThroughTheProxy() {
        // An unreachable proxy: any request sent through it would fail.
        var proxy = new ProxySettings(Optional.of(URI.create("http://127.0.0.1:1")), Optional.empty(), List.of());
        try (var client = client(proxy)) {
            assertThat(client.send(post("replication://main/_synapse/replication/x", "{}"))
                            .status())
                    .isEqualTo(200);
            assertThat(client.send(post("replication://event_persister1/_synapse/replication/x", "{}"))
                            .status())
                    .isEqualTo(200);
        }
    }

    @Test
    void unknownInstanceNameFailsNamingTheConfiguredOnes() {
        try (var client = client(ProxySettings.none())) {
            assertThatThrownBy(() -> client.send(post("replication://worker9/_synapse/replication/x", "{}")))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessage(
                            "unknown replication instance 'worker9' in replication://worker9/_synapse/replication/x;"
                                    + " configured instances: [event_persister1, main]");
        }
    }
}
