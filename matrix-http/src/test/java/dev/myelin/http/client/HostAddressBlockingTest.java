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
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Addresses that reach this machine itself are refused whatever blocklist is configured: an
 * operator's own {@code url_preview_ip_range_blacklist} replaces the default ranges, and must not
 * thereby open {@code 0.0.0.0}, {@code [::]} or loopback. Only an allowed range naming such an
 * address on purpose lets it through.
 */
class HostAddressBlockingTest {

    /** What an operator might write: private ranges, but no loopback or unspecified addresses. */
    private static final IpBlocklist CUSTOM = IpBlocklist.of(List.of("10.0.0.0/8", "192.168.0.0/16"), List.of());
    /** Stands in for this machine's own interface address in tests that name one. */
    private static final String INTERFACE = "198.51.100.7";

    private static final List<String> HOST_FORMS = List.of(
            "0.0.0.0",
            "0.1.2.3",
            "127.0.0.1",
            "127.255.0.9",
            "::",
            "::1",
            "::ffff:127.0.0.1",
            "::ffff:0.0.0.0",
            "::127.0.0.1",
            "::0.0.0.1",
            "::ffff:7f00:2");

    private static HttpServer server;
    private static int port;
    private static final AtomicInteger hits = new AtomicInteger();

    @BeforeAll
    static void startServer() {
        Router router = new Router()
                .register(Endpoint.of(HttpMethod.GET, "/ok", AuthRequirement.NONE, req -> {
                    hits.incrementAndGet();
                    return MatrixResponse.ok(
                            JsonNodeFactory.instance.objectNode().put("ok", true));
                }))
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

    @BeforeEach
    void countFromZero() {
        hits.set(0);
    }

    @AfterAll
    static void stopServer() {
        server.stop();
    }

    private static InetAddress ip(String literal) {
        return IpRange.parseLiteral(literal).orElseThrow();
    }

    private static List<InetAddress> localInterfaces() {
        return List.of(ip(INTERFACE));
    }

    @Test
    void everyFormOfTheHostIsBlockedByACustomList() {
        for (String host : HOST_FORMS) {
            assertThat(CUSTOM.isBlocked(ip(host))).as(host).isTrue();
            assertThat(IpBlocklist.of(List.of(), List.of()).isBlocked(ip(host)))
                    .as("empty list, " + host)
                    .isTrue();
        }
        assertThat(CUSTOM.isBlocked(ip("8.8.8.8"))).isFalse();
        assertThat(CUSTOM.isBlocked(ip("::ffff:8.8.8.8"))).isFalse();
        assertThat(CUSTOM.isBlocked(ip("2001:db8::1"))).isFalse();
    }

    @Test
    void theMachinesOwnInterfaceAddressesAreBlocked() {
        assertThat(CUSTOM.isBlocked(ip(INTERFACE), localInterfaces())).isTrue();
        assertThat(CUSTOM.isBlocked(ip(INTERFACE), List.of())).isFalse();
        assertThat(CUSTOM.isBlocked(ip("198.51.100.8"), localInterfaces())).isFalse();
        // IPv6 interface addresses compare without their scope
        assertThat(CUSTOM.isBlocked(ip("2001:db8::7"), List.of(ip("2001:db8::7"))))
                .isTrue();
    }

    @Test
    void onlyAnAllowedRangeInsideTheHostRangeUnlocksIt() {
        IpBlocklist loopbackAllowed = CUSTOM.allowing("127.0.0.1");
        assertThat(loopbackAllowed.isBlocked(ip("127.0.0.1"))).isFalse();
        assertThat(loopbackAllowed.isBlocked(ip("::ffff:127.0.0.1"))).isFalse();
        assertThat(loopbackAllowed.isBlocked(ip("127.0.0.2"))).isTrue();
        assertThat(loopbackAllowed.isBlocked(ip("0.0.0.0"))).isTrue();
        assertThat(loopbackAllowed.isBlocked(ip("::"))).isTrue();
        assertThat(loopbackAllowed.isBlocked(ip("::1"))).isTrue();
        assertThat(CUSTOM.allowing("127.0.0.0/8").isBlocked(ip("127.0.0.2"))).isFalse();
        assertThat(CUSTOM.allowing("::1").isBlocked(ip("::1"))).isFalse();

        // broad allowed ranges do not unlock the host inside them
        IpBlocklist broad = CUSTOM.allowing("0.0.0.0/0", "198.51.100.0/24", "::/1");
        for (String host : HOST_FORMS) {
            assertThat(broad.isBlocked(ip(host))).as(host).isTrue();
        }
        assertThat(broad.isBlocked(ip(INTERFACE), localInterfaces())).isTrue();
        assertThat(broad.isBlocked(ip("10.1.2.3"), localInterfaces())).isFalse();
        assertThat(CUSTOM.allowing(INTERFACE).isBlocked(ip(INTERFACE), localInterfaces()))
                .isFalse();

        // ::/0 allows everything, on purpose
        for (String host : HOST_FORMS) {
            assertThat(IpBlocklist.none().isBlocked(ip(host), localInterfaces()))
                    .as(host)
                    .isFalse();
        }
        assertThat(IpBlocklist.none().isBlocked(ip(INTERFACE), localInterfaces()))
                .isFalse();
    }

    @Test
    void resolverRefusesLiteralsAndNamesOfTheHost() throws UnknownHostException {
        HostResolver dns = host -> switch (host) {
            case "zero.test" -> List.of(ip("0.0.0.0"));
            case "any6.test" -> List.of(ip("::"));
            case "mapped.test" -> List.of(ip("::ffff:127.0.0.1"));
            case "self.test" -> List.of(ip(INTERFACE));
            default -> throw new UnknownHostException(host);
        };
        BlocklistingResolver resolver = new BlocklistingResolver(
                dns, CUSTOM, HostAddressBlockingTest::localInterfaces, Set.of(), Runnable::run);
        for (String host : List.of(
                "0.0.0.0",
                "[::]",
                "::",
                "[::1]",
                "127.0.0.1",
                "[::ffff:127.0.0.1]",
                "[::ffff:0.0.0.0]",
                "[::127.0.0.1]",
                "zero.test",
                "any6.test",
                "mapped.test",
                "self.test",
                INTERFACE)) {
            assertThatThrownBy(() -> resolver.resolveChecked(host, 80))
                    .as(host)
                    .isInstanceOf(BlockedDestinationException.class);
        }
        assertThat(resolver.resolveChecked("8.8.8.8", 80)).hasSize(1);
    }

    @Test
    void theNumericHostNameZeroResolvesToTheUnspecifiedAddressAndIsRefused() {
        BlocklistingResolver resolver = new BlocklistingResolver(
                HostResolver.system(), CUSTOM, HostAddressBlockingTest::localInterfaces, Set.of(), Runnable::run);
        assertThatThrownBy(() -> resolver.resolveChecked("0", 80))
                .isInstanceOf(BlockedDestinationException.class)
                .hasMessage("Refusing to connect to 0: address 0.0.0.0 is blocked");
    }

    @Test
    void numericHostsOtherThanDottedDecimalAreAmbiguous() {
        for (String host : List.of("0", "127.1", "2130706433", "0x7f.0.0.1", "0177.0.0.1", "127.000.0.1", "1.2.3.4.")) {
            assertThat(IpRange.isAmbiguousNumericHost(host)).as(host).isTrue();
        }
        for (String host : List.of("127.0.0.1", "8.8.8.8", "0.0.0.0", "example.org", "1e100.net", "deadbeef.example")) {
            assertThat(IpRange.isAmbiguousNumericHost(host)).as(host).isFalse();
        }
    }

    @Test
    void systemLocalAddressesIncludeLoopback() {
        assertThat(LocalAddresses.system().current()).contains(ip("127.0.0.1"));
    }

    private static URI url(String host, String path) {
        return URI.create("http://" + host + ":" + port + path);
    }

    @Test
    void directRequestsToTheHostAreRefusedWithACustomList() {
        try (var client = MatrixHttpClient.create(OutboundConfig.defaults().withBlocklist(CUSTOM))) {
            for (String host : List.of("0.0.0.0", "[::]", "0", "127.0.0.1", "localhost", "[::ffff:127.0.0.1]")) {
                assertThatThrownBy(() -> client.get(url(host, "/ok")))
                        .as(host)
                        .isInstanceOf(BlockedDestinationException.class);
            }
        }
        assertThat(hits).hasValue(0);
    }

    @Test
    void redirectsToTheHostAreRefusedWhenOnlyTheOriginIsAllowed() {
        // The origin, 127.0.0.1, is allowed explicitly (as tests and some deployments do); the
        // redirect targets are other spellings of the host, which that allowance does not cover.
        var config = OutboundConfig.defaults().withBlocklist(CUSTOM.allowing("127.0.0.1"));
        try (var client = MatrixHttpClient.create(config)) {
            assertThat(client.get(url("127.0.0.1", "/ok")).status()).isEqualTo(200);
            for (String host : List.of("0.0.0.0", "[::]", "0", "127.0.0.2", "[::1]")) {
                URI target = url(host, "/ok");
                assertThatThrownBy(() -> client.get(url("127.0.0.1", "/redirect?to=" + target)))
                        .as(host)
                        .isInstanceOf(BlockedDestinationException.class);
            }
        }
        assertThat(hits).hasValue(1);
    }

    @Test
    void proxiedClientsStillRefuseLiteralHostAddresses() {
        var config = OutboundConfig.defaults()
                .withBlocklist(CUSTOM)
                .withProxy(ProxySettings.fromEnvironment(Map.of("http_proxy", "http://127.0.0.1:" + port)));
        try (var client =
                MatrixHttpClient.create(config, HostResolver.system(), HostAddressBlockingTest::localInterfaces)) {
            for (String host : List.of(
                    "0.0.0.0",
                    "[::]",
                    "[::ffff:127.0.0.1]",
                    INTERFACE,
                    "0",
                    "2130706433",
                    "0177.0.0.1",
                    "127.000.0.1")) {
                assertThatThrownBy(() -> client.get(url(host, "/ok")))
                        .as(host)
                        .isInstanceOf(BlockedDestinationException.class);
            }
            // java.net.URI finds no host in these at all, so they are refused before that
            for (String host : List.of("127.1", "0x7f.0.0.1")) {
                assertThatThrownBy(() -> client.get(url(host, "/ok")))
                        .as(host)
                        .isInstanceOf(IllegalArgumentException.class);
            }
        }
        assertThat(hits).hasValue(0);
    }
}
