package dev.myelin.federation.discovery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.myelin.core.id.ServerName;
import dev.myelin.core.time.ManualClock;
import dev.myelin.federation.discovery.ResolvedDestination.Target;
import dev.myelin.http.client.OutboundHttpException;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * {@code federation_static_dns}: fixed host and SRV tables that answer without any DNS server,
 * names compared without case or trailing dot, addresses carrying the name they were looked up
 * for, and every unusable entry refused with its name.
 */
class StaticFederationDnsTest {
    private static InetAddress ip(String literal) throws UnknownHostException {
        return InetAddress.getByName(literal);
    }

    private static StaticFederationDns hosts(Map<String, List<String>> hosts) {
        return StaticFederationDns.parse(hosts, Map.of());
    }

    @Test
    void aListedHostResolvesToItsAddressesInOrder() throws Exception {
        StaticFederationDns dns = hosts(Map.of("hs1.test", List.of("127.0.0.2", "127.0.0.1", "::1")));
        assertThat(dns.resolve("hs1.test")).containsExactly(ip("127.0.0.2"), ip("127.0.0.1"), ip("::1"));
    }

    @Test
    void namesAreComparedWithoutCaseOrTrailingDot() throws Exception {
        StaticFederationDns dns = StaticFederationDns.parse(
                Map.of("HS1.Test.", List.of("127.0.0.1")),
                Map.of("_Matrix-Fed._TCP.HS1.test.", List.of("10 0 8448 hs1.test")));
        for (String name : List.of("hs1.test", "HS1.TEST", "hs1.test.", "Hs1.TeSt.")) {
            assertThat(dns.resolve(name)).as(name).containsExactly(ip("127.0.0.1"));
        }
        for (String name :
                List.of("_matrix-fed._tcp.hs1.test", "_MATRIX-FED._TCP.HS1.TEST", "_matrix-fed._tcp.hs1.test.")) {
            assertThat(dns.srv(name)).as(name).containsExactly(new SrvRecord(10, 0, 8448, "hs1.test"));
        }
    }

    @Test
    void anAddressCarriesTheNameItWasLookedUpFor() throws Exception {
        StaticFederationDns dns =
                hosts(Map.of("hs1.test", List.of("127.0.0.1", "::1"), "hs2.test", List.of("127.0.0.1")));
        for (InetAddress address : dns.resolve("hs1.test")) {
            // the outbound client's TLS layer takes the name to check from the address
            assertThat(address.getHostName()).isEqualTo("hs1.test");
        }
        assertThat(dns.resolve("hs2.test").getFirst().getHostName())
                .as("one literal under two names carries each name")
                .isEqualTo("hs2.test");
        assertThat(dns.resolve("HS1.TEST.").getFirst().getHostName())
                .as("the name as listed, lower case and without the dot")
                .isEqualTo("hs1.test");
        assertThat(dns.resolve("hs1.test").getFirst().getHostAddress()).isEqualTo("127.0.0.1");
    }

    @Test
    void anUnlistedNameDoesNotExistAndHasNoSrvRecords() {
        StaticFederationDns dns = StaticFederationDns.parse(
                Map.of("hs1.test", List.of("127.0.0.1")),
                Map.of("_matrix-fed._tcp.hs1.test", List.of("10 0 8448 hs1.test")));
        assertThatThrownBy(() -> dns.resolve("hs2.test"))
                .isInstanceOf(UnknownHostException.class)
                .hasMessageContaining("hs2.test")
                .hasMessageContaining("federation_static_dns");
        assertThatThrownBy(() -> dns.resolve("localhost"))
                .as("nothing is asked of the system's resolver, not even for localhost")
                .isInstanceOf(UnknownHostException.class);
        assertThatThrownBy(() -> dns.resolve("sub.hs1.test")).isInstanceOf(UnknownHostException.class);
        assertThatThrownBy(() -> dns.resolve("")).isInstanceOf(UnknownHostException.class);
        assertThat(dns.srv("_matrix-fed._tcp.hs2.test")).isEmpty();
        assertThat(dns.srv("_matrix._tcp.hs1.test")).isEmpty();
        assertThat(dns.srv("hs1.test")).as("a host name is no SRV record name").isEmpty();
    }

    @Test
    void anEmptyTableKnowsNothing() {
        StaticFederationDns dns = StaticFederationDns.parse(Map.of(), Map.of());
        assertThatThrownBy(() -> dns.resolve("hs1.test")).isInstanceOf(UnknownHostException.class);
        assertThat(dns.srv("_matrix-fed._tcp.hs1.test")).isEmpty();
    }

    @Test
    void ipv6LiteralsAreReadWithOrWithoutBrackets() throws Exception {
        StaticFederationDns dns = hosts(Map.of(
                "bare.test", List.of("2001:db8::1"),
                "bracketed.test", List.of("[2001:db8::1]"),
                "loopback.test", List.of("[::1]"),
                "full.test", List.of("2001:0db8:0000:0000:0000:0000:0000:0001")));
        for (String name : List.of("bare.test", "bracketed.test", "full.test")) {
            InetAddress address = dns.resolve(name).getFirst();
            assertThat(address).as(name).isInstanceOf(Inet6Address.class).isEqualTo(ip("2001:db8::1"));
            assertThat(address.getHostName()).isEqualTo(name);
        }
        assertThat(dns.resolve("loopback.test")).containsExactly(ip("::1"));
    }

    @Test
    void anIpv4MappedLiteralIsTheIpv4Address() throws Exception {
        InetAddress address = hosts(Map.of("mapped.test", List.of("::ffff:127.0.0.1")))
                .resolve("mapped.test")
                .getFirst();
        assertThat(address).isInstanceOf(Inet4Address.class).isEqualTo(ip("127.0.0.1"));
        assertThat(address.getHostName()).isEqualTo("mapped.test");
    }

    @Test
    void theTablesAreCopied() throws Exception {
        List<InetAddress> addresses = new ArrayList<>(List.of(ip("127.0.0.1")));
        Map<String, List<InetAddress>> hosts = new LinkedHashMap<>(Map.of("hs1.test", addresses));
        List<SrvRecord> records = new ArrayList<>(List.of(new SrvRecord(1, 1, 8448, "hs1.test")));
        Map<String, List<SrvRecord>> srv = new LinkedHashMap<>(Map.of("_matrix-fed._tcp.hs1.test", records));
        StaticFederationDns dns = new StaticFederationDns(hosts, srv);
        addresses.add(ip("127.0.0.2"));
        hosts.put("hs2.test", List.of(ip("127.0.0.3")));
        records.clear();
        assertThat(dns.resolve("hs1.test")).containsExactly(ip("127.0.0.1"));
        assertThatThrownBy(() -> dns.resolve("hs2.test")).isInstanceOf(UnknownHostException.class);
        assertThat(dns.srv("_matrix-fed._tcp.hs1.test")).containsExactly(new SrvRecord(1, 1, 8448, "hs1.test"));
        assertThatThrownBy(() -> dns.resolve("hs1.test").add(ip("127.0.0.9")))
                .isInstanceOf(UnsupportedOperationException.class);
    }

    @Test
    void srvRecordsAreReadInZoneFileOrderWithAnyWhitespace() {
        StaticFederationDns dns = StaticFederationDns.parse(
                Map.of(),
                Map.of(
                        "_matrix-fed._tcp.hs1.test",
                        List.of("10 5 8448 node1.test.", "  20\t0   8449  node2.test  ", "0 0 0 .")));
        assertThat(dns.srv("_matrix-fed._tcp.hs1.test"))
                .containsExactly(
                        new SrvRecord(10, 5, 8448, "node1.test"),
                        new SrvRecord(20, 0, 8449, "node2.test"),
                        new SrvRecord(0, 0, 0, "."));
        assertThat(dns.srv("_matrix-fed._tcp.hs1.test").get(2).isServiceUnavailable())
                .isTrue();
    }

    @Test
    void anAddressThatIsNotAnIpLiteralIsRefusedWithItsHostName() {
        for (String bad : List.of(
                "example.org",
                "localhost",
                "300.1.1.1",
                "127.1",
                "10.0.0.0/8",
                "::1/128",
                "[::1",
                "::1]",
                "[127.0.0.1",
                "2001:db8::g",
                "fe80::1%eth0",
                "")) {
            assertThatThrownBy(() -> hosts(Map.of("hs1.test", List.of(bad))), bad)
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("hs1.test: '" + bad + "' is not an IP address");
        }
    }

    @Test
    void aHostWithoutAddressesIsRefused() {
        assertThatThrownBy(() -> hosts(Map.of("hs1.test", List.of())))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("host hs1.test has no address");
    }

    @Test
    void aLineThatIsNotAnSrvRecordIsRefusedWithItsName() {
        for (String bad : List.of(
                "",
                "10 5 8448",
                "10 5 8448 a.test b.test",
                "ten 5 8448 a.test",
                "10 5 port a.test",
                "-1 5 8448 a.test",
                "10 65536 8448 a.test",
                "10 5 65536 a.test",
                "10 5 99999999999 a.test",
                "10,5,8448,a.test")) {
            assertThatThrownBy(
                            () -> StaticFederationDns.parse(
                                    Map.of(), Map.of("_matrix-fed._tcp.hs1.test", List.of(bad))),
                            bad)
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("_matrix-fed._tcp.hs1.test: '" + bad
                            + "' is not an SRV record ('priority weight port target')");
        }
    }

    @Test
    void theBoundsOfAnSrvRecordAreAccepted() {
        StaticFederationDns dns = StaticFederationDns.parse(
                Map.of(), Map.of("_matrix-fed._tcp.hs1.test", List.of("0 0 1 a.test", "65535 65535 65535 b.test")));
        assertThat(dns.srv("_matrix-fed._tcp.hs1.test"))
                .containsExactly(new SrvRecord(0, 0, 1, "a.test"), new SrvRecord(65535, 65535, 65535, "b.test"));
    }

    /** proves: server discovery over the static tables finds hs1.test through its SRV record and connects to the listed address. */
    @Test
    void serverDiscoveryResolvesAServerThroughItsStaticSrvRecord() throws Exception {
        StaticFederationDns dns = StaticFederationDns.parse(
                Map.of("node1.test", List.of("127.0.0.1")),
                Map.of("_matrix-fed._tcp.hs1.test", List.of("10 0 19101 node1.test.")));
        List<String> wellKnownAsked = new ArrayList<>();
        ServerDiscovery discovery = new ServerDiscovery(
                request -> {
                    // no .well-known is published: the fetch fails as an unreachable host would
                    wellKnownAsked.add(request.uri().getHost());
                    throw new OutboundHttpException("connection refused", null);
                },
                dns,
                new ManualClock());

        ResolvedDestination d = discovery.resolve(ServerName.parse("hs1.test"));

        assertThat(wellKnownAsked).containsExactly("hs1.test");
        assertThat(d.step()).isEqualTo(DiscoveryStep.SRV);
        assertThat(d.targets()).containsExactly(new Target("node1.test", 19101));
        assertThat(d.hostHeader()).isEqualTo("hs1.test");
        assertThat(d.certificateName()).isEqualTo("hs1.test");
        InetAddress connected = dns.resolve(d.first().host()).getFirst();
        assertThat(connected.getHostAddress()).isEqualTo("127.0.0.1");
    }

    /** proves: a server without a static SRV record is looked for on port 8448 of its own name. */
    @Test
    void serverDiscoveryFallsBackToPort8448WithoutAStaticSrvRecord() {
        StaticFederationDns dns = StaticFederationDns.parse(Map.of("hs2.test", List.of("127.0.0.1")), Map.of());
        ServerDiscovery discovery = new ServerDiscovery(
                request -> {
                    throw new OutboundHttpException("connection refused", null);
                },
                dns,
                new ManualClock());

        ResolvedDestination d = discovery.resolve(ServerName.parse("hs2.test"));

        assertThat(d.step()).isEqualTo(DiscoveryStep.DEFAULT_PORT);
        assertThat(d.targets()).containsExactly(new Target("hs2.test", 8448));
    }
}
