package dev.myelin.federation.discovery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.myelin.http.client.HostResolver;
import java.net.InetAddress;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The JDK-based DNS seam reads SRV records through the JNDI DNS provider, which is present on the
 * module path, asking a DNS server on loopback instead of the system's.
 */
class JndiFederationDnsTest {
    private LoopbackDnsServer server;
    private JndiFederationDns dns;

    @BeforeEach
    void start() throws Exception {
        server = new LoopbackDnsServer();
        HostResolver hosts = host -> List.of(InetAddress.getByAddress(host, new byte[] {127, 0, 0, 9}));
        dns = new JndiFederationDns("dns://127.0.0.1:" + server.port(), hosts);
    }

    @AfterEach
    void stop() throws Exception {
        server.close();
    }

    @Test
    void readsSrvRecords() {
        server.srv(
                "_matrix-fed._tcp.example.test",
                new SrvRecord(10, 5, 8448, "matrix.example.test"),
                new SrvRecord(20, 0, 8449, "backup.example.test"));
        assertThat(dns.srv("_matrix-fed._tcp.example.test"))
                .containsExactlyInAnyOrder(
                        new SrvRecord(10, 5, 8448, "matrix.example.test"),
                        new SrvRecord(20, 0, 8449, "backup.example.test"));
    }

    @Test
    void readsTheNoServiceRecord() {
        server.srv("_matrix-fed._tcp.example.test", new SrvRecord(0, 0, 0, "."));
        assertThat(dns.srv("_matrix-fed._tcp.example.test"))
                .singleElement()
                .satisfies(r -> assertThat(r.isServiceUnavailable()).isTrue());
    }

    @Test
    void aMissingNameOrRecordIsNoRecord() {
        server.srv("_matrix._tcp.example.test");
        assertThat(dns.srv("_matrix._tcp.example.test")).isEmpty();
        assertThat(dns.srv("_matrix-fed._tcp.nowhere.test")).isEmpty();
    }

    @Test
    void aServerFailureIsAnError() {
        server.failing("_matrix-fed._tcp.broken.test");
        assertThatThrownBy(() -> dns.srv("_matrix-fed._tcp.broken.test"))
                .isInstanceOf(ServerDiscoveryException.class)
                .hasMessageContaining("_matrix-fed._tcp.broken.test");
    }

    @Test
    void addressesComeFromTheHostResolver() throws Exception {
        assertThat(dns.resolve("matrix.example.test"))
                .containsExactly(InetAddress.getByAddress("matrix.example.test", new byte[] {127, 0, 0, 9}));
    }

    @Test
    void theSystemDnsIsTheJndiOne() {
        assertThat(FederationDns.system()).isInstanceOf(JndiFederationDns.class);
    }
}
