package dev.myelin.federation.discovery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.myelin.core.id.ServerName;
import dev.myelin.core.time.ManualClock;
import dev.myelin.federation.discovery.ResolvedDestination.Target;
import dev.myelin.federation.discovery.WellKnownServer.Answer;
import dev.myelin.http.client.HttpTransport;
import dev.myelin.http.client.IpBlocklist;
import dev.myelin.http.client.MatrixHttpClient;
import dev.myelin.http.client.OutboundConfig;
import dev.myelin.http.client.OutboundRequest;
import dev.myelin.http.client.TrustedCertificates;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Each step of the spec's server name resolution, against a fake DNS and a real HTTPS
 * {@code .well-known} server on loopback, with the {@code Host} header and certificate name each
 * step calls for, and every kind of unusable {@code .well-known} falling through to SRV and 8448.
 */
class ServerDiscoveryTest {
    @TempDir
    static Path dir;

    private WellKnownServer wellKnown;
    private FakeDns dns;
    private MatrixHttpClient client;
    private ServerDiscovery discovery;

    @BeforeEach
    void start() throws Exception {
        wellKnown = new WellKnownServer(dir);
        dns = new FakeDns();
        WellKnownServer.NAMES.forEach(name -> dns.address(name, "127.0.0.1"));
        discovery = discovery(IpBlocklist.none());
    }

    private ServerDiscovery discovery(IpBlocklist blocklist) {
        if (client != null) {
            client.close();
        }
        OutboundConfig config = OutboundConfig.defaults()
                .withBlocklist(blocklist)
                .withTrust(new TrustedCertificates(List.of(wellKnown.certificate)))
                .withTimeouts(Duration.ofSeconds(2), Duration.ofSeconds(1));
        client = ServerDiscovery.wellKnownClient(config, dns);
        return new ServerDiscovery(onTestPort(client), dns, new ManualClock());
    }

    /** The spec's URL has no port (443); the test server listens elsewhere, so only the port is changed. */
    private HttpTransport onTestPort(MatrixHttpClient client) {
        return request -> {
            URI uri = request.uri();
            URI moved = URI.create(uri.getScheme() + "://" + uri.getHost() + ":" + wellKnown.port() + uri.getRawPath());
            return client.send(new OutboundRequest(request.method(), moved, request.headers(), request.body()));
        };
    }

    @AfterEach
    void stop() throws Exception {
        client.close();
        wellKnown.close();
    }

    private ResolvedDestination resolve(String serverName) {
        return discovery.resolve(new ServerName(serverName));
    }

    @Test
    void anIpv4LiteralIsUsedOnPort8448WithoutSniOrLookups() {
        ResolvedDestination d = resolve("192.0.2.7");
        assertThat(d.step()).isEqualTo(DiscoveryStep.IP_LITERAL);
        assertThat(d.targets()).containsExactly(new Target("192.0.2.7", 8448));
        assertThat(d.hostHeader()).isEqualTo("192.0.2.7");
        assertThat(d.certificateName()).isEqualTo("192.0.2.7");
        assertThat(d.sniHostName()).isEmpty();
        assertThat(d.delegatedTo()).isEmpty();
        assertThat(wellKnown.requests).isEmpty();
        assertThat(dns.srvQueries).isEmpty();
    }

    @Test
    void anIpv6LiteralKeepsItsPortAndTheHostHeaderKeepsTheBrackets() {
        ResolvedDestination d = resolve("[2001:db8::1]:8080");
        assertThat(d.step()).isEqualTo(DiscoveryStep.IP_LITERAL);
        assertThat(d.targets()).containsExactly(new Target("2001:db8::1", 8080));
        assertThat(d.first().authority()).isEqualTo("[2001:db8::1]:8080");
        assertThat(d.hostHeader()).isEqualTo("[2001:db8::1]:8080");
        assertThat(d.certificateName()).isEqualTo("2001:db8::1");
        assertThat(d.sniHostName()).isEmpty();
    }

    @Test
    void aHostNameWithAnExplicitPortSkipsWellKnownAndSrv() {
        ResolvedDestination d = resolve("example.test:8000");
        assertThat(d.step()).isEqualTo(DiscoveryStep.EXPLICIT_PORT);
        assertThat(d.targets()).containsExactly(new Target("example.test", 8000));
        assertThat(d.hostHeader()).isEqualTo("example.test:8000");
        assertThat(d.certificateName()).isEqualTo("example.test");
        assertThat(d.sniHostName()).contains("example.test");
        assertThat(wellKnown.requests).isEmpty();
        assertThat(dns.srvQueries).isEmpty();
    }

    @Test
    void wellKnownDelegationToAnIpLiteralUsesItsPortOr8448() {
        wellKnown.answer("example.test", Answer.json("{\"m.server\":\"192.0.2.9:1234\"}"));
        ResolvedDestination d = resolve("example.test");
        assertThat(d.step()).isEqualTo(DiscoveryStep.DELEGATED_IP_LITERAL);
        assertThat(d.delegatedTo()).contains(new ServerName("192.0.2.9:1234"));
        assertThat(d.targets()).containsExactly(new Target("192.0.2.9", 1234));
        assertThat(d.hostHeader()).isEqualTo("192.0.2.9:1234");
        assertThat(d.certificateName()).isEqualTo("192.0.2.9");
        assertThat(d.sniHostName()).isEmpty();
        assertThat(wellKnown.requests).containsExactly("example.test/.well-known/matrix/server");

        wellKnown.answer("other.test", Answer.json("{\"m.server\":\"[2001:db8::2]\"}"));
        ResolvedDestination v6 = resolve("other.test");
        assertThat(v6.targets()).containsExactly(new Target("2001:db8::2", 8448));
        assertThat(v6.hostHeader()).isEqualTo("[2001:db8::2]");
        assertThat(v6.certificateName()).isEqualTo("2001:db8::2");
        assertThat(dns.srvQueries).isEmpty();
    }

    @Test
    void wellKnownDelegationWithAPortUsesItWithoutSrv() {
        wellKnown.answer("example.test", Answer.json("{\"m.server\":\"matrix.example.test:9000\"}"));
        ResolvedDestination d = resolve("example.test");
        assertThat(d.step()).isEqualTo(DiscoveryStep.DELEGATED_EXPLICIT_PORT);
        assertThat(d.targets()).containsExactly(new Target("matrix.example.test", 9000));
        assertThat(d.hostHeader()).isEqualTo("matrix.example.test:9000");
        assertThat(d.certificateName()).isEqualTo("matrix.example.test");
        assertThat(d.sniHostName()).contains("matrix.example.test");
        assertThat(dns.srvQueries).isEmpty();
    }

    @Test
    void wellKnownDelegationWithoutAPortLooksUpTheDelegatedNamesSrvRecord() {
        wellKnown.answer("example.test", Answer.json("{\"m.server\":\"matrix.example.test\"}"));
        dns.srv("_matrix-fed._tcp.matrix.example.test", new SrvRecord(10, 1, 7000, "node1.example.test."));
        ResolvedDestination d = resolve("example.test");
        assertThat(d.step()).isEqualTo(DiscoveryStep.DELEGATED_SRV);
        assertThat(d.targets()).containsExactly(new Target("node1.example.test", 7000));
        // the SRV target is where to connect, never the name the certificate is checked against
        assertThat(d.hostHeader()).isEqualTo("matrix.example.test");
        assertThat(d.certificateName()).isEqualTo("matrix.example.test");
        assertThat(dns.srvQueries).containsExactly("_matrix-fed._tcp.matrix.example.test");
    }

    @Test
    void theDeprecatedSrvNameOfTheDelegatedNameIsTriedSecond() {
        wellKnown.answer("example.test", Answer.json("{\"m.server\":\"matrix.example.test\"}"));
        dns.srv("_matrix._tcp.matrix.example.test", new SrvRecord(10, 1, 7001, "old.example.test"));
        ResolvedDestination d = resolve("example.test");
        assertThat(d.step()).isEqualTo(DiscoveryStep.DELEGATED_LEGACY_SRV);
        assertThat(d.targets()).containsExactly(new Target("old.example.test", 7001));
        assertThat(d.hostHeader()).isEqualTo("matrix.example.test");
        assertThat(d.certificateName()).isEqualTo("matrix.example.test");
        assertThat(dns.srvQueries)
                .containsExactly("_matrix-fed._tcp.matrix.example.test", "_matrix._tcp.matrix.example.test");
    }

    @Test
    void aDelegatedNameWithoutSrvRecordsIsUsedOnPort8448() {
        wellKnown.answer("example.test", Answer.json("{\"m.server\":\"matrix.example.test\"}"));
        ResolvedDestination d = resolve("example.test");
        assertThat(d.step()).isEqualTo(DiscoveryStep.DELEGATED_DEFAULT_PORT);
        assertThat(d.targets()).containsExactly(new Target("matrix.example.test", 8448));
        assertThat(d.hostHeader()).isEqualTo("matrix.example.test");
        assertThat(d.certificateName()).isEqualTo("matrix.example.test");
    }

    @Test
    void withoutWellKnownTheHostNamesSrvRecordsAreUsedInPriorityOrder() {
        dns.srv(
                "_matrix-fed._tcp.example.test",
                new SrvRecord(20, 1, 7002, "backup.example.test"),
                new SrvRecord(10, 1, 7001, "primary.example.test"));
        ResolvedDestination d = resolve("example.test");
        assertThat(d.step()).isEqualTo(DiscoveryStep.SRV);
        assertThat(d.targets())
                .containsExactly(new Target("primary.example.test", 7001), new Target("backup.example.test", 7002));
        assertThat(d.hostHeader()).isEqualTo("example.test");
        assertThat(d.certificateName()).isEqualTo("example.test");
        assertThat(d.delegatedTo()).isEmpty();
    }

    @Test
    void withoutWellKnownTheDeprecatedSrvNameIsTriedSecond() {
        dns.srv("_matrix._tcp.example.test", new SrvRecord(0, 0, 7003, "old.example.test"));
        ResolvedDestination d = resolve("example.test");
        assertThat(d.step()).isEqualTo(DiscoveryStep.LEGACY_SRV);
        assertThat(d.targets()).containsExactly(new Target("old.example.test", 7003));
        assertThat(d.hostHeader()).isEqualTo("example.test");
    }

    @Test
    void withNothingPublishedTheHostNameIsUsedOnPort8448() {
        ResolvedDestination d = resolve("example.test");
        assertThat(d.step()).isEqualTo(DiscoveryStep.DEFAULT_PORT);
        assertThat(d.targets()).containsExactly(new Target("example.test", 8448));
        assertThat(d.hostHeader()).isEqualTo("example.test");
        assertThat(d.certificateName()).isEqualTo("example.test");
        assertThat(d.sniHostName()).contains("example.test");
        assertThat(dns.srvQueries).containsExactly("_matrix-fed._tcp.example.test", "_matrix._tcp.example.test");
    }

    @Test
    void anSrvRecordDeclaringNoServiceFailsResolution() {
        dns.srv("_matrix-fed._tcp.example.test", new SrvRecord(0, 0, 0, "."));
        assertThatThrownBy(() -> resolve("example.test"))
                .isInstanceOf(ServerDiscoveryException.class)
                .hasMessageContaining("not available");
    }

    @Test
    void redirectsAreFollowed() {
        wellKnown.answer("example.test", Answer.redirect(wellKnown.url("other.test")));
        wellKnown.answer("other.test", Answer.json("{\"m.server\":\"matrix.example.test:443\"}"));
        ResolvedDestination d = resolve("example.test");
        assertThat(d.step()).isEqualTo(DiscoveryStep.DELEGATED_EXPLICIT_PORT);
        assertThat(d.targets()).containsExactly(new Target("matrix.example.test", 443));
        assertThat(wellKnown.requests)
                .containsExactly("example.test/.well-known/matrix/server", "other.test/.well-known/matrix/server");
    }

    @Test
    void aRelativeRedirectIsResolvedAgainstTheUrlAsked() {
        wellKnown.answer("example.test", Answer.redirect("/.well-known/matrix/server?moved"));
        // the server answers per host and path, so the same host redirects forever unless the
        // query makes the second URL different; it is the loop check that stops it here
        ResolvedDestination d = resolve("example.test");
        assertThat(d.step()).isEqualTo(DiscoveryStep.DEFAULT_PORT);
        assertThat(wellKnown.requests).hasSize(2);
    }

    @Test
    void aRedirectToPlainHttpIsRefused() {
        wellKnown.answer("example.test", Answer.redirect("http://other.test/.well-known/matrix/server"));
        wellKnown.answer("other.test", Answer.json("{\"m.server\":\"evil.test:443\"}"));
        assertFallsThrough("example.test");
        assertThat(wellKnown.requests).containsExactly("example.test/.well-known/matrix/server");
    }

    @Test
    void theBodyIsReadAsJsonWhateverItsContentType() {
        wellKnown.answer(
                "example.test",
                new Answer(
                        200,
                        Map.of("Content-Type", "text/plain"),
                        "{\"m.server\":\"matrix.example.test:8449\"}".getBytes(StandardCharsets.UTF_8),
                        Duration.ZERO));
        assertThat(resolve("example.test").step()).isEqualTo(DiscoveryStep.DELEGATED_EXPLICIT_PORT);
    }

    private void assertFallsThrough(String host) {
        ResolvedDestination d = resolve(host);
        assertThat(d.step()).as("resolution of %s", host).isEqualTo(DiscoveryStep.DEFAULT_PORT);
        assertThat(d.delegatedTo()).isEmpty();
        assertThat(d.targets()).containsExactly(new Target(host, 8448));
        assertThat(d.hostHeader()).isEqualTo(host);
    }

    @Test
    void malformedJsonFallsThrough() {
        wellKnown.answer("example.test", Answer.json("{\"m.server\": \"matrix.example.test\""));
        assertFallsThrough("example.test");
    }

    @Test
    void aNonObjectFallsThrough() {
        wellKnown.answer("example.test", Answer.json("[\"matrix.example.test\"]"));
        assertFallsThrough("example.test");
    }

    @Test
    void aMissingMServerFallsThrough() {
        wellKnown.answer("example.test", Answer.json("{\"m.homeserver\":\"matrix.example.test\"}"));
        assertFallsThrough("example.test");
    }

    @Test
    void anMServerThatIsNotAStringFallsThrough() {
        wellKnown.answer("example.test", Answer.json("{\"m.server\":8448}"));
        assertFallsThrough("example.test");
        wellKnown.answer("other.test", Answer.json("{\"m.server\":{\"host\":\"matrix.example.test\"}}"));
        assertFallsThrough("other.test");
    }

    @Test
    void anMServerThatIsNotAServerNameFallsThrough() {
        wellKnown.answer("example.test", Answer.json("{\"m.server\":\"https://matrix.example.test/\"}"));
        assertFallsThrough("example.test");
        wellKnown.answer("other.test", Answer.json("{\"m.server\":\"matrix.example.test:99999999\"}"));
        assertFallsThrough("other.test");
        wellKnown.answer("big.test", Answer.json("{\"m.server\":\"\"}"));
        assertFallsThrough("big.test");
    }

    @Test
    void anMServerWithoutAUsablePortOrAddressFallsThrough() {
        wellKnown.answer("example.test", Answer.json("{\"m.server\":\"matrix.example.test:70000\"}"));
        assertFallsThrough("example.test");
        wellKnown.answer("other.test", Answer.json("{\"m.server\":\"matrix.example.test:0\"}"));
        assertFallsThrough("other.test");
        wellKnown.answer("big.test", Answer.json("{\"m.server\":\"[1:2:3:4:5:6:7:8:9]\"}"));
        assertFallsThrough("big.test");
    }

    @Test
    void aServerNameWithoutAUsablePortOrAddressIsRefused() {
        for (String name : List.of("example.test:99999", "example.test:0", "192.0.2.1:65536", "[:::::]")) {
            assertThatThrownBy(() -> resolve(name))
                    .as(name)
                    .isInstanceOf(ServerDiscoveryException.class)
                    .hasMessageContaining(name);
        }
        assertThat(wellKnown.requests).isEmpty();
    }

    @Test
    void anOversizedAnswerFallsThrough() {
        String padding = " ".repeat(WellKnownResolver.MAX_BYTES);
        wellKnown.answer("big.test", Answer.json("{\"m.server\":\"matrix.example.test:8448\"" + padding + "}"));
        assertFallsThrough("big.test");
    }

    @Test
    void aRedirectLoopFallsThrough() {
        wellKnown.answer("loop-a.test", Answer.redirect("https://loop-b.test/.well-known/matrix/server"));
        wellKnown.answer("loop-b.test", Answer.redirect("https://LOOP-A.test:443/.well-known/matrix/server"));
        assertFallsThrough("loop-a.test");
        // the loop is seen when it closes, not after the redirect limit
        assertThat(wellKnown.requests)
                .containsExactly("loop-a.test/.well-known/matrix/server", "loop-b.test/.well-known/matrix/server");
    }

    @Test
    void notFoundAndServerErrorsFallThrough() {
        wellKnown.answer("example.test", Answer.status(404));
        assertFallsThrough("example.test");
        wellKnown.answer("other.test", Answer.status(503));
        assertFallsThrough("other.test");
    }

    @Test
    void aTimeoutFallsThrough() {
        wellKnown.answer(
                "slow.test",
                new Answer(
                        200,
                        Map.of(),
                        "{\"m.server\":\"matrix.example.test:1\"}".getBytes(StandardCharsets.UTF_8),
                        Duration.ofSeconds(3)));
        assertFallsThrough("slow.test");
    }

    @Test
    void anUnresolvableOrUnreachableHostFallsThrough() {
        assertFallsThrough("unknown.test");
    }

    @Test
    void theIpBlocklistAppliesToTheWellKnownFetch() {
        // the default blocklist refuses loopback, where example.test points
        discovery = discovery(IpBlocklist.defaults());
        wellKnown.answer("example.test", Answer.json("{\"m.server\":\"matrix.example.test:8448\"}"));
        assertFallsThrough("example.test");
        assertThat(wellKnown.requests).isEmpty();
    }

    @Test
    void aFailedSrvLookupFailsResolution() {
        FederationDns failing = new FederationDns() {
            @Override
            public List<SrvRecord> srv(String name) {
                throw new ServerDiscoveryException("SERVFAIL for " + name, null);
            }

            @Override
            public List<java.net.InetAddress> resolve(String host) {
                return List.of();
            }
        };
        ServerDiscovery withFailingDns = new ServerDiscovery(
                r -> {
                    throw new dev.myelin.http.client.OutboundHttpException("refused", null);
                },
                failing,
                new ManualClock());
        assertThatThrownBy(() -> withFailingDns.resolve(new ServerName("example.test")))
                .isInstanceOf(ServerDiscoveryException.class)
                .hasMessageContaining("SERVFAIL");
    }
}
