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
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class MatrixHttpClientTest {

    private static HttpServer server;
    private static int port;

    private final List<String> resolved = new CopyOnWriteArrayList<>();

    /** Resolves every *.test name to loopback and records the lookup. */
    private final HostResolver fakeDns = host -> {
        resolved.add(host);
        if (host.endsWith(".test")) {
            return List.of(InetAddress.getByAddress(host, new byte[] {127, 0, 0, 1}));
        }
        throw new UnknownHostException(host);
    };

    @BeforeAll
    static void startServer() {
        Router router = new Router()
                .register(Endpoint.of(
                        HttpMethod.GET,
                        "/ok",
                        AuthRequirement.NONE,
                        req -> MatrixResponse.ok(
                                JsonNodeFactory.instance.objectNode().put("ok", true))))
                .register(Endpoint.of(
                        HttpMethod.GET,
                        "/big",
                        AuthRequirement.NONE,
                        req -> MatrixResponse.bytes(200, "text/plain", new byte[1000])))
                .register(Endpoint.of(
                        HttpMethod.GET,
                        "/redirect",
                        AuthRequirement.NONE,
                        req -> MatrixResponse.empty(302).withHeader("Location", req.requireQueryParam("to"))));
        server = HttpServer.builder(router, new ManualClock())
                .listen("127.0.0.1", 0)
                .build();
        server.start();
        port = server.port();
    }

    @AfterAll
    static void stopServer() {
        server.stop();
    }

    private URI url(String host, String path) {
        return URI.create("http://" + host + ":" + port + path);
    }

    @Test
    void requestSucceedsWhenLoopbackIsNotBlocked() {
        try (var client =
                MatrixHttpClient.create(OutboundConfig.defaults().withBlocklist(IpBlocklist.none()), fakeDns)) {
            OutboundResponse response = client.get(url("127.0.0.1", "/ok"));

            assertThat(response.status()).isEqualTo(200);
            assertThat(new String(response.body(), StandardCharsets.UTF_8)).isEqualTo("{\"ok\":true}");
            assertThat(response.header("Content-Type"))
                    .hasValueSatisfying(v -> assertThat(v).startsWith("application/json"));
        }
    }

    @Test
    void literalBlockedIpIsRefused() {
        try (var client = MatrixHttpClient.create(OutboundConfig.defaults(), fakeDns)) {
            assertThatThrownBy(() -> client.get(url("127.0.0.1", "/ok")))
                    .isInstanceOf(BlockedDestinationException.class)
                    .hasMessage("Refusing to connect to 127.0.0.1: address 127.0.0.1 is blocked");
            assertThat(resolved).isEmpty();
        }
    }

    @Test
    void hostnameResolvingToBlockedIpIsRefused() {
        try (var client = MatrixHttpClient.create(OutboundConfig.defaults(), fakeDns)) {
            assertThatThrownBy(() -> client.get(url("evil.test", "/ok")))
                    .isInstanceOf(BlockedDestinationException.class)
                    .hasMessageContaining("evil.test");
            assertThat(resolved).containsExactly("evil.test");
        }
    }

    @Test
    void allowlistedAddressIsReachableByName() {
        var config =
                OutboundConfig.defaults().withBlocklist(IpBlocklist.defaults().allowing("127.0.0.1/32"));
        try (var client = MatrixHttpClient.create(config, fakeDns)) {
            assertThat(client.get(url("good.test", "/ok")).status()).isEqualTo(200);
        }
    }

    @Test
    void redirectToBlockedLiteralIpIsRefused() {
        var config =
                OutboundConfig.defaults().withBlocklist(IpBlocklist.defaults().allowing("127.0.0.1/32"));
        try (var client = MatrixHttpClient.create(config, fakeDns)) {
            URI target = url("127.0.0.2", "/ok");
            assertThatThrownBy(() -> client.get(url("good.test", "/redirect?to=" + target)))
                    .isInstanceOf(BlockedDestinationException.class)
                    .hasMessageContaining("127.0.0.2");
        }
    }

    @Test
    void redirectToHostnameResolvingToBlockedIpIsRefused() {
        // good.test reaches the allowlisted 127.0.0.1; the redirect names other.test, which the
        // resolver points at a private address.
        HostResolver dns = host -> host.equals("other.test")
                ? List.of(InetAddress.getByAddress(host, new byte[] {10, 0, 0, 1}))
                : fakeDns.resolve(host);
        var config =
                OutboundConfig.defaults().withBlocklist(IpBlocklist.defaults().allowing("127.0.0.1/32"));
        try (var client = MatrixHttpClient.create(config, dns)) {
            assertThatThrownBy(() -> client.get(url("good.test", "/redirect?to=" + url("other.test", "/ok"))))
                    .isInstanceOf(BlockedDestinationException.class)
                    .hasMessage("Refusing to connect to other.test: address 10.0.0.1 is blocked");
        }
    }

    @Test
    void redirectToAllowedDestinationIsFollowed() {
        try (var client =
                MatrixHttpClient.create(OutboundConfig.defaults().withBlocklist(IpBlocklist.none()), fakeDns)) {
            var response = client.get(url("a.test", "/redirect?to=" + url("b.test", "/ok")));

            assertThat(response.status()).isEqualTo(200);
            assertThat(resolved).containsExactly("a.test", "b.test");
        }
    }

    @Test
    void responseBodyOverLimitFails() {
        var config = OutboundConfig.defaults().withBlocklist(IpBlocklist.none()).withMaxResponseBytes(100);
        try (var client = MatrixHttpClient.create(config, fakeDns)) {
            assertThatThrownBy(() -> client.get(url("127.0.0.1", "/big")))
                    .isInstanceOf(ResponseTooLargeException.class);
            assertThat(client.get(url("127.0.0.1", "/ok")).status()).isEqualTo(200);
        }
    }

    @Test
    void aPerRequestLimitReplacesTheConfiguredOneAndSaysWhatWasExceeded() {
        var config = OutboundConfig.defaults().withBlocklist(IpBlocklist.none());
        try (var client = MatrixHttpClient.create(config, fakeDns)) {
            OutboundRequest big = OutboundRequest.get(url("127.0.0.1", "/big"));
            assertThatThrownBy(() -> client.send(big, "127.0.0.1", 999))
                    .isInstanceOfSatisfying(
                            ResponseTooLargeException.class,
                            e -> assertThat(e.limit()).isEqualTo(999));
            assertThat(client.send(big, "127.0.0.1", 1000).body()).hasSize(1000);
            assertThat(client.send(big, "127.0.0.1").body()).hasSize(1000);
        }
    }

    @Test
    void requestBodyOverLimitIsRefusedBeforeSending() {
        var base = OutboundConfig.defaults();
        var config = new OutboundConfig(
                base.connectTimeout(),
                base.requestTimeout(),
                base.idleTimeout(),
                4,
                base.maxResponseBytes(),
                true,
                5,
                IpBlocklist.none(),
                ProxySettings.none(),
                "t");
        try (var client = MatrixHttpClient.create(config, fakeDns)) {
            var request = new OutboundRequest(
                    "POST",
                    url("127.0.0.1", "/ok"),
                    Map.of(),
                    java.util.Optional.of(new OutboundRequest.Body("text/plain", new byte[5])));
            assertThatThrownBy(() -> client.send(request))
                    .isInstanceOf(OutboundHttpException.class)
                    .hasMessageContaining("limit");
        }
    }

    @Test
    void unresolvableHostFailsWithOutboundException() {
        try (var client = MatrixHttpClient.create(OutboundConfig.defaults(), fakeDns)) {
            assertThatThrownBy(() -> client.get(URI.create("http://nowhere.invalid/")))
                    .isInstanceOf(OutboundHttpException.class)
                    .isNotInstanceOf(BlockedDestinationException.class);
        }
    }
}
