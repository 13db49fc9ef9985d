package dev.myelin.http.client;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.myelin.core.time.ManualClock;
import dev.myelin.http.server.AuthRequirement;
import dev.myelin.http.server.Endpoint;
import dev.myelin.http.server.HttpMethod;
import dev.myelin.http.server.HttpServer;
import dev.myelin.http.server.MatrixResponse;
import dev.myelin.http.server.Router;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.eclipse.jetty.client.HttpClient;
import org.eclipse.jetty.proxy.ProxyHandler;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.Promise;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The outbound client through a real forward proxy (Jetty's {@code ProxyHandler.Forward}). */
class ProxyRoutingTest {

    private HttpServer target;
    private Server proxy;
    private int proxyPort;
    /** The request targets the proxy was asked for. */
    private final List<String> proxied = new CopyOnWriteArrayList<>();

    private final List<String> resolvedLocally = new CopyOnWriteArrayList<>();

    /** Every *.test name is loopback, for the client and for the proxy alike. */
    private final HostResolver fakeDns = host -> {
        resolvedLocally.add(host);
        if (host.endsWith(".test")) {
            return List.of(InetAddress.getByAddress(host, new byte[] {127, 0, 0, 1}));
        }
        throw new UnknownHostException(host);
    };

    @BeforeEach
    void start() throws Exception {
        Router router = new Router()
                .register(Endpoint.of(
                        HttpMethod.GET,
                        "/hello",
                        AuthRequirement.NONE,
                        req -> MatrixResponse.ok(JsonNodeFactory.instance
                                .objectNode()
                                .put("host", req.header("Host").orElse(""))
                                .put("via", req.header("Via").isPresent()))));
        target = HttpServer.builder(router, new ManualClock())
                .listen("127.0.0.1", 0)
                .build();
        target.start();

        proxy = new Server();
        ServerConnector connector = new ServerConnector(proxy);
        connector.setHost("127.0.0.1");
        proxy.addConnector(connector);
        HttpClient upstream = new HttpClient();
        upstream.setSocketAddressResolver((host, port, context, promise) -> resolveForProxy(host, port, promise));
        ProxyHandler.Forward forward = new ProxyHandler.Forward();
        forward.setHttpClient(upstream);
        proxy.setHandler(new Handler.Wrapper(forward) {
            @Override
            public boolean handle(Request request, Response response, Callback callback) throws Exception {
                proxied.add(request.getHttpURI().asString());
                return super.handle(request, response, callback);
            }
        });
        proxy.start();
        proxyPort = connector.getLocalPort();
    }

    private static void resolveForProxy(String host, int port, Promise<List<InetSocketAddress>> promise) {
        if (host.endsWith(".test")) {
            promise.succeeded(List.of(new InetSocketAddress(InetAddress.getLoopbackAddress(), port)));
        } else {
            promise.failed(new UnknownHostException(host));
        }
    }

    @AfterEach
    void stop() throws Exception {
        proxy.stop();
        target.stop();
    }

    private MatrixHttpClient client() {
        ProxySettings settings = ProxySettings.fromEnvironment(
                Map.of("http_proxy", "127.0.0.1:" + proxyPort, "no_proxy", "localhost, .direct.test"));
        return MatrixHttpClient.create(
                OutboundConfig.defaults()
                        .withProxy(settings)
                        .withBlocklist(IpBlocklist.defaults().allowing("127.0.0.1/32")),
                fakeDns);
    }

    private String get(MatrixHttpClient client, String host) {
        OutboundResponse response = client.get(URI.create("http://" + host + ":" + target.port() + "/hello"));
        assertThat(response.status()).isEqualTo(200);
        return new String(response.body(), StandardCharsets.UTF_8);
    }

    @Test
    void requestsGoThroughTheProxyWhichResolvesTheName() {
        try (var client = client()) {
            String body = get(client, "remote.test");

            assertThat(body).isEqualTo("{\"host\":\"remote.test:" + target.port() + "\",\"via\":true}");
            assertThat(proxied).containsExactly("http://remote.test:" + target.port() + "/hello");
            assertThat(resolvedLocally).isEmpty();
        }
    }

    @Test
    void noProxyHostsAreFetchedDirectlyAndResolvedLocally() {
        try (var client = client()) {
            String body = get(client, "hs.direct.test");

            assertThat(body).isEqualTo("{\"host\":\"hs.direct.test:" + target.port() + "\",\"via\":false}");
            assertThat(proxied).isEmpty();
            assertThat(resolvedLocally).containsExactly("hs.direct.test");
        }
    }

    @Test
    void literalBlockedAddressIsRefusedEvenThroughTheProxy() {
        try (var client = MatrixHttpClient.create(
                OutboundConfig.defaults()
                        .withProxy(
                                ProxySettings.fromEnvironment(Map.of("http_proxy", "http://127.0.0.1:" + proxyPort))),
                fakeDns)) {
            org.assertj.core.api.Assertions.assertThatThrownBy(
                            () -> client.get(URI.create("http://10.0.0.1:" + target.port() + "/hello")))
                    .isInstanceOf(BlockedDestinationException.class);
            assertThat(proxied).isEmpty();
        }
    }

    @Test
    void proxyConfigurationReadsUpperCaseVariablesToo() {
        ProxySettings settings = ProxySettings.fromEnvironment(
                Map.of("HTTP_PROXY", "http://proxy.test:3128", "NO_PROXY", "example.org"));

        assertThat(settings.httpProxy()).contains(URI.create("http://proxy.test:3128"));
        assertThat(settings.bypasses("a.example.org")).isTrue();
        assertThat(settings.bypasses("example.org.evil.test")).isFalse();
        assertThat(settings.bypasses("matrix.org")).isFalse();
    }
}
