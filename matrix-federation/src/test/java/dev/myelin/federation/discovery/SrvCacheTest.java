package dev.myelin.federation.discovery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.myelin.core.id.ServerName;
import dev.myelin.core.time.ManualClock;
import dev.myelin.http.client.OutboundResponse;
import java.net.InetAddress;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

/** SRV answers, with or without records, are kept ten minutes; failed lookups are asked again. */
class SrvCacheTest {
    private final ManualClock clock = new ManualClock();
    private final FakeDns dns = new FakeDns();
    private final ServerDiscovery discovery =
            new ServerDiscovery(request -> new OutboundResponse(404, Map.of(), new byte[0]), dns, clock);

    @Test
    void answersAreKeptTenMinutes() {
        dns.srv("_matrix-fed._tcp.example.test", new SrvRecord(0, 1, 7000, "node.example.test"));
        discovery.resolve(new ServerName("example.test"));
        discovery.resolve(new ServerName("other.test"));
        assertThat(dns.srvQueries)
                .containsExactly(
                        "_matrix-fed._tcp.example.test", "_matrix-fed._tcp.other.test", "_matrix._tcp.other.test");

        dns.srv("_matrix-fed._tcp.example.test", new SrvRecord(0, 1, 7001, "moved.example.test"));
        clock.advance(SrvCache.PERIOD.minus(Duration.ofSeconds(1)));
        assertThat(discovery.resolve(new ServerName("example.test")).first().port())
                .isEqualTo(7000);
        discovery.resolve(new ServerName("other.test"));
        assertThat(dns.srvQueries).hasSize(3);

        clock.advance(Duration.ofSeconds(1));
        assertThat(discovery.resolve(new ServerName("example.test")).first().port())
                .isEqualTo(7001);
        assertThat(dns.srvQueries).hasSize(4);
    }

    @Test
    void failedLookupsAreNotKept() {
        AtomicBoolean failing = new AtomicBoolean(true);
        FederationDns flaky = new FederationDns() {
            @Override
            public List<SrvRecord> srv(String name) {
                if (failing.get()) {
                    throw new ServerDiscoveryException("timeout", null);
                }
                return List.of(new SrvRecord(0, 1, 7000, "node.example.test"));
            }

            @Override
            public List<InetAddress> resolve(String host) {
                return List.of();
            }
        };
        ServerDiscovery withFlakyDns =
                new ServerDiscovery(request -> new OutboundResponse(404, Map.of(), new byte[0]), flaky, clock);
        assertThatThrownBy(() -> withFlakyDns.resolve(new ServerName("example.test")))
                .isInstanceOf(ServerDiscoveryException.class);
        failing.set(false);
        assertThat(withFlakyDns.resolve(new ServerName("example.test")).step()).isEqualTo(DiscoveryStep.SRV);
    }
}
