package dev.myelin.server.api.federation;

import static org.assertj.core.api.Assertions.assertThat;

import dev.myelin.testing.TestClient;
import dev.myelin.testing.TestHomeserver;
import dev.myelin.testing.TestResponse;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * A homeserver configured with every federation key starts and uses them: its outbound clients
 * without certificate checks, other servers looked up in {@code federation_static_dns} only.
 */
class FederationSettingsStartupTest {

    @Test
    void aServerWithEveryFederationKeyStartsAndLooksServersUpInItsStaticDns() throws Exception {
        AtomicInteger connections = new AtomicInteger();
        try (ServerSocket node = new ServerSocket(19149, 50, InetAddress.getLoopbackAddress());
                TestHomeserver hs = TestHomeserver.builder()
                        .config("federation_verify_certificates", "false")
                        .config("federation_certificate_verification_whitelist", "['*.test']")
                        .config("federation_domain_whitelist", "[hs2.test, unknown.test]")
                        .config("federation_ip_range_blacklist", "[]")
                        // node.test:19149 accepts connections and closes them: reached, but no TLS answer
                        .config(
                                "federation_static_dns",
                                "{hosts: {node.test: ['127.0.0.1']}, srv: {_matrix-fed._tcp.hs2.test: ['10 0 19149 node.test']}}")
                        .start()) {
            assertThat(hs.homeserver().config().federation().staticDns()).isPresent();
            Thread.ofVirtual().start(() -> {
                while (!node.isClosed()) {
                    try (Socket accepted = node.accept()) {
                        connections.incrementAndGet();
                    } catch (IOException e) {
                        return;
                    }
                }
            });
            TestClient alice = hs.registerUser("alice");

            TestResponse listed = alice.get("/_matrix/client/v3/profile/@bob:hs2.test");
            assertThat(listed.status()).isEqualTo(502);
            assertThat(listed.errcode()).isEqualTo("M_UNKNOWN");
            assertThat(connections.get())
                    .as("hs2.test was looked for where its static SRV record points")
                    .isPositive();
            int afterListed = connections.get();

            TestResponse unknown = alice.get("/_matrix/client/v3/profile/@bob:unknown.test");
            assertThat(unknown.status())
                    .as("a name not in the static tables does not exist")
                    .isEqualTo(502);
            assertThat(unknown.errcode()).isEqualTo("M_UNKNOWN");

            TestResponse denied = alice.get("/_matrix/client/v3/profile/@bob:other.test");
            assertThat(denied.status()).isEqualTo(403);
            assertThat(denied.errcode()).isEqualTo("M_FORBIDDEN");
            assertThat(connections.get()).isEqualTo(afterListed);
        }
    }
}
