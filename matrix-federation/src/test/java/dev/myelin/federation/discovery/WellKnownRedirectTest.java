package dev.myelin.federation.discovery;

import static org.assertj.core.api.Assertions.assertThat;

import dev.myelin.core.id.ServerName;
import dev.myelin.core.time.ManualClock;
import dev.myelin.http.client.HttpTransport;
import dev.myelin.http.client.OutboundResponse;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The {@code .well-known} fetch follows at most five redirects, each one a request of its own. */
class WellKnownRedirectTest {
    private final List<URI> asked = new ArrayList<>();

    /** Redirects {@code hops} times through distinct URLs, then answers with a delegation. */
    private ServerDiscovery chain(int hops) {
        HttpTransport transport = request -> {
            asked.add(request.uri());
            if (asked.size() <= hops) {
                String next = "https://hop" + asked.size() + ".test/.well-known/matrix/server";
                return new OutboundResponse(301, Map.of("location", List.of(next)), new byte[0]);
            }
            return new OutboundResponse(
                    200, Map.of(), "{\"m.server\":\"matrix.example.test:8448\"}".getBytes(StandardCharsets.UTF_8));
        };
        return new ServerDiscovery(transport, new FakeDns(), new ManualClock());
    }

    @Test
    void fiveRedirectsAreFollowed() {
        ResolvedDestination d = chain(ServerDiscovery.MAX_REDIRECTS).resolve(new ServerName("example.test"));
        assertThat(d.delegatedTo()).contains(new ServerName("matrix.example.test:8448"));
        assertThat(asked).hasSize(6).first().isEqualTo(URI.create("https://example.test/.well-known/matrix/server"));
        assertThat(asked.getLast()).isEqualTo(URI.create("https://hop5.test/.well-known/matrix/server"));
    }

    @Test
    void aSixthRedirectIsAFailure() {
        ResolvedDestination d = chain(ServerDiscovery.MAX_REDIRECTS + 1).resolve(new ServerName("example.test"));
        assertThat(d.step()).isEqualTo(DiscoveryStep.DEFAULT_PORT);
        assertThat(asked).hasSize(6);
    }

    @Test
    void aRedirectWithoutLocationIsANon200Answer() {
        HttpTransport transport = request -> new OutboundResponse(302, Map.of(), new byte[0]);
        ServerDiscovery discovery = new ServerDiscovery(transport, new FakeDns(), new ManualClock());
        assertThat(discovery.resolve(new ServerName("example.test")).step()).isEqualTo(DiscoveryStep.DEFAULT_PORT);
    }

    @Test
    void aMalformedLocationIsAFailure() {
        HttpTransport transport =
                request -> new OutboundResponse(302, Map.of("location", List.of("https://exa mple/%%")), new byte[0]);
        ServerDiscovery discovery = new ServerDiscovery(transport, new FakeDns(), new ManualClock());
        assertThat(discovery.resolve(new ServerName("example.test")).step()).isEqualTo(DiscoveryStep.DEFAULT_PORT);
    }
}
