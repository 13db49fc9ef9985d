package dev.myelin.http.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.myelin.core.time.SystemClock;
import dev.myelin.http.server.AuthRequirement;
import dev.myelin.http.server.Endpoint;
import dev.myelin.http.server.HttpMethod;
import dev.myelin.http.server.HttpServer;
import dev.myelin.http.server.MatrixResponse;
import dev.myelin.http.server.Router;
import java.io.InputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link MatrixHttpClient#send(OutboundRequest, String)}: the connection goes to another host than
 * the URI's (a federation SRV target) while the certificate is checked for the URI's host, the
 * {@code Host} header is the one the request sets, and the target is still subject to the
 * blocklist.
 */
class ConnectViaTest {
    @TempDir
    Path dir;

    private HttpServer server;
    private Path caFile;

    @BeforeEach
    void startTlsServer() throws Exception {
        Path store = dir.resolve("id.p12");
        Process keytool = new ProcessBuilder(
                        Path.of(System.getProperty("java.home"), "bin", "keytool")
                                .toString(),
                        "-genkeypair",
                        "-alias",
                        "server",
                        "-keyalg",
                        "EC",
                        "-groupname",
                        "secp256r1",
                        "-dname",
                        "CN=server.test",
                        "-ext",
                        "san=dns:server.test",
                        "-validity",
                        "2",
                        "-storetype",
                        "PKCS12",
                        "-keystore",
                        store.toString(),
                        "-storepass",
                        "changeit",
                        "-keypass",
                        "changeit")
                .redirectErrorStream(true)
                .start();
        String output = new String(keytool.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(keytool.waitFor()).as(output).isZero();
        KeyStore ks = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(store)) {
            ks.load(in, "changeit".toCharArray());
        }
        X509Certificate certificate = (X509Certificate) ks.getCertificate("server");
        PrivateKey key = (PrivateKey) ks.getKey("server", "changeit".toCharArray());
        caFile = Files.writeString(dir.resolve("ca.pem"), pem("CERTIFICATE", certificate.getEncoded()));
        Files.writeString(dir.resolve("key.pem"), pem("PRIVATE KEY", key.getEncoded()));
        Router router = new Router()
                .register(Endpoint.of(
                        HttpMethod.GET,
                        "/host",
                        AuthRequirement.NONE,
                        req -> MatrixResponse.bytes(
                                200, "text/plain", req.header("Host").orElse("").getBytes(StandardCharsets.UTF_8))));
        server = HttpServer.builder(router, SystemClock.INSTANCE)
                .listenTls("127.0.0.1", 0, caFile, dir.resolve("key.pem"))
                .build();
        server.start();
    }

    @AfterEach
    void stop() {
        server.stop();
    }

    private static String pem(String type, byte[] der) {
        return "-----BEGIN " + type + "-----\n"
                + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
                        .encodeToString(der)
                + "\n-----END " + type + "-----\n";
    }

    /** Only target.test resolves (to loopback): the URI's host is never looked up. */
    private static final HostResolver ONLY_TARGET = host -> {
        if (host.equals("target.test")) {
            return List.of(java.net.InetAddress.getLoopbackAddress());
        }
        throw new java.net.UnknownHostException(host);
    };

    private MatrixHttpClient client(IpBlocklist blocklist) {
        return MatrixHttpClient.create(
                OutboundConfig.defaults()
                        .withBlocklist(blocklist)
                        .withTrust(TrustedCertificates.fromFiles(List.of(caFile))),
                ONLY_TARGET);
    }

    private OutboundRequest request(String host, String hostHeader) {
        return new OutboundRequest(
                "GET",
                URI.create("https://" + host + ":" + server.port() + "/host"),
                Map.of("Host", List.of(hostHeader)),
                Optional.empty());
    }

    @Test
    void connectsToTheTargetAndChecksTheCertificateForTheUrisHost() {
        try (var client = client(IpBlocklist.none())) {
            OutboundResponse response = client.send(request("server.test", "server.test"), "target.test");

            assertThat(response.status()).isEqualTo(200);
            assertThat(new String(response.body(), StandardCharsets.UTF_8)).isEqualTo("server.test");
        }
    }

    @Test
    void refusesACertificateThatDoesNotNameTheUrisHost() {
        try (var client = client(IpBlocklist.none())) {
            assertThatThrownBy(() -> client.send(request("other.test", "other.test"), "target.test"))
                    .isInstanceOf(OutboundHttpException.class);
        }
    }

    @Test
    void theTargetIsCheckedAgainstTheBlocklist() {
        try (var client = client(IpBlocklist.defaults())) {
            assertThatThrownBy(() -> client.send(request("server.test", "server.test"), "target.test"))
                    .isInstanceOf(BlockedDestinationException.class);
        }
    }
}
