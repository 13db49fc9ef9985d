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
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A server whose certificate no system CA signed (sytest's push gateway, a gateway behind a
 * company CA) is refused until its CA is among the configured extra CAs, and host names are still
 * checked then.
 */
class CustomCaTrustTest {
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
                        "gateway",
                        "-keyalg",
                        "EC",
                        "-groupname",
                        "secp256r1",
                        "-dname",
                        "CN=gateway",
                        "-ext",
                        "san=ip:127.0.0.1",
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
        X509Certificate certificate = (X509Certificate) ks.getCertificate("gateway");
        PrivateKey key = (PrivateKey) ks.getKey("gateway", "changeit".toCharArray());
        caFile = Files.writeString(dir.resolve("ca.pem"), pem("CERTIFICATE", certificate.getEncoded()));
        Files.writeString(dir.resolve("key.pem"), pem("PRIVATE KEY", key.getEncoded()));
        Router router = new Router()
                .register(Endpoint.of(
                        HttpMethod.GET,
                        "/ping",
                        AuthRequirement.NONE,
                        req -> MatrixResponse.bytes(200, "text/plain", "pong".getBytes(StandardCharsets.UTF_8))));
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

    private OutboundConfig config() {
        return OutboundConfig.defaults().withBlocklist(IpBlocklist.none());
    }

    @Test
    void refusesAnUnknownCaAndTrustsAConfiguredOne() {
        URI uri = URI.create("https://127.0.0.1:" + server.port() + "/ping");
        try (var client = MatrixHttpClient.create(config())) {
            assertThatThrownBy(() -> client.get(uri)).isInstanceOf(OutboundHttpException.class);
        }
        try (var client = MatrixHttpClient.create(config().withTrust(TrustedCertificates.fromFiles(List.of(caFile))))) {
            OutboundResponse response = client.get(uri);
            assertThat(response.status()).isEqualTo(200);
            assertThat(new String(response.body(), StandardCharsets.UTF_8)).isEqualTo("pong");
        }
    }

    @Test
    void theHostNameIsStillChecked() {
        // the certificate names 127.0.0.1 only
        URI uri = URI.create("https://localhost:" + server.port() + "/ping");
        HostResolver loopback = host -> List.of(java.net.InetAddress.getLoopbackAddress());
        try (var client =
                MatrixHttpClient.create(config().withTrust(TrustedCertificates.fromFiles(List.of(caFile))), loopback)) {
            assertThatThrownBy(() -> client.get(uri)).isInstanceOf(OutboundHttpException.class);
        }
    }

    @Test
    void unreadableOrNonCertificateFilesAreNamed() throws Exception {
        Path missing = dir.resolve("missing.pem");
        assertThatThrownBy(() -> TrustedCertificates.fromFiles(List.of(missing)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("missing.pem");
        Path garbage = Files.writeString(dir.resolve("garbage.pem"), "not a certificate");
        assertThatThrownBy(() -> TrustedCertificates.fromFiles(List.of(garbage)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("garbage.pem");
        assertThat(TrustedCertificates.fromFiles(List.of(caFile)).certificates())
                .hasSize(1);
        assertThat(TrustedCertificates.system().isSystemOnly()).isTrue();
    }
}
