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
import java.net.InetAddress;
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
 * {@link TrustedCertificates#unverified()} ({@code federation_verify_certificates: false}): a
 * server on loopback with a self-signed certificate is refused by a client that verifies, whatever
 * extra CAs it trusts, and reached by one that does not verify, even under a name its certificate
 * does not hold.
 */
class UnverifiedTrustTest {
    @TempDir
    Path dir;

    private HttpServer server;
    private Path otherCa;

    /** A self-signed certificate for {@code san} and its key, as PEM files named after {@code alias}. */
    private Path selfSigned(String alias, String san) throws Exception {
        Path store = dir.resolve(alias + ".p12");
        Process keytool = new ProcessBuilder(
                        Path.of(System.getProperty("java.home"), "bin", "keytool")
                                .toString(),
                        "-genkeypair",
                        "-alias",
                        alias,
                        "-keyalg",
                        "EC",
                        "-groupname",
                        "secp256r1",
                        "-dname",
                        "CN=" + alias,
                        "-ext",
                        "san=" + san,
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
        X509Certificate certificate = (X509Certificate) ks.getCertificate(alias);
        PrivateKey key = (PrivateKey) ks.getKey(alias, "changeit".toCharArray());
        Files.writeString(dir.resolve(alias + "-key.pem"), pem("PRIVATE KEY", key.getEncoded()));
        return Files.writeString(dir.resolve(alias + ".pem"), pem("CERTIFICATE", certificate.getEncoded()));
    }

    @BeforeEach
    void startTlsServer() throws Exception {
        Path certificate = selfSigned("hs2", "ip:127.0.0.1");
        otherCa = selfSigned("other-ca", "dns:other.test");
        Router router = new Router()
                .register(Endpoint.of(
                        HttpMethod.GET,
                        "/ping",
                        AuthRequirement.NONE,
                        req -> MatrixResponse.bytes(200, "text/plain", "pong".getBytes(StandardCharsets.UTF_8))));
        server = HttpServer.builder(router, SystemClock.INSTANCE)
                .listenTls("127.0.0.1", 0, certificate, dir.resolve("hs2-key.pem"))
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

    private static OutboundConfig config(TrustedCertificates trust) {
        return OutboundConfig.defaults().withBlocklist(IpBlocklist.none()).withTrust(trust);
    }

    private URI ping(String host) {
        return URI.create("https://" + host + ":" + server.port() + "/ping");
    }

    /** Every name is loopback, as federation_static_dns would have it, with the name attached. */
    private static final HostResolver LOOPBACK = host -> List.of(
            InetAddress.getByAddress(host, InetAddress.getLoopbackAddress().getAddress()));

    private static void assertPong(OutboundResponse response) {
        assertThat(response.status()).isEqualTo(200);
        assertThat(new String(response.body(), StandardCharsets.UTF_8)).isEqualTo("pong");
    }

    @Test
    void aDefaultClientRefusesTheSelfSignedCertificate() {
        try (var client = MatrixHttpClient.create(config(TrustedCertificates.system()))) {
            assertThatThrownBy(() -> client.get(ping("127.0.0.1"))).isInstanceOf(OutboundHttpException.class);
        }
    }

    @Test
    void aClientTrustingOtherCasRefusesIt() {
        try (var client = MatrixHttpClient.create(config(TrustedCertificates.fromFiles(List.of(otherCa))))) {
            assertThatThrownBy(() -> client.get(ping("127.0.0.1"))).isInstanceOf(OutboundHttpException.class);
        }
    }

    @Test
    void anUnverifiedClientReachesIt() {
        try (var client = MatrixHttpClient.create(config(TrustedCertificates.unverified()))) {
            assertPong(client.get(ping("127.0.0.1")));
        }
    }

    @Test
    void anUnverifiedClientReachesItUnderANameTheCertificateDoesNotHold() {
        try (var client = MatrixHttpClient.create(config(TrustedCertificates.unverified()), LOOPBACK)) {
            assertPong(client.get(ping("hs1.test")));
            assertPong(client.get(ping("localhost")));
        }
    }

    @Test
    void aVerifyingClientRefusesTheSameNameMismatch() {
        try (var client = MatrixHttpClient.create(config(TrustedCertificates.system()), LOOPBACK)) {
            assertThatThrownBy(() -> client.get(ping("hs1.test"))).isInstanceOf(OutboundHttpException.class);
        }
    }

    @Test
    void unverifiedTrustsNothingInParticularAndIsNotTheSystemDefault() {
        TrustedCertificates unverified = TrustedCertificates.unverified();
        assertThat(unverified.verify()).isFalse();
        assertThat(unverified.certificates()).isEmpty();
        assertThat(unverified.isSystemOnly()).isFalse();
        assertThat(TrustedCertificates.system().verify()).isTrue();
        assertThat(TrustedCertificates.fromFiles(List.of(otherCa)).verify()).isTrue();
        assertThat(TrustedCertificates.fromFiles(List.of(otherCa)).isSystemOnly())
                .isFalse();
        assertThat(new TrustedCertificates(List.of()).isSystemOnly()).isTrue();
    }
}
