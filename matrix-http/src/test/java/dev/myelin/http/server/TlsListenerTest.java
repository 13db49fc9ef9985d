package dev.myelin.http.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.myelin.core.time.ManualClock;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TlsListenerTest {

    /** A key pair and self-signed certificate made by the JDK's keytool. */
    record Identity(PrivateKey key, X509Certificate certificate) {}

    private static Identity first;
    private static Identity second;
    private static Identity rsa;

    @TempDir
    Path dir;

    private HttpServer server;

    @BeforeAll
    static void makeCertificates(@TempDir Path keys) throws Exception {
        first = keytool(keys, "first", "EC");
        second = keytool(keys, "second", "EC");
        rsa = keytool(keys, "rsa", "RSA");
    }

    @AfterEach
    void stop() {
        if (server != null) {
            server.stop();
        }
    }

    private static Identity keytool(Path dir, String name, String algorithm) throws Exception {
        Path store = dir.resolve(name + ".p12");
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "keytool").toString(),
                "-genkeypair",
                "-alias",
                name,
                "-keyalg",
                algorithm,
                "-dname",
                "CN=" + name,
                "-validity",
                "2",
                "-storetype",
                "PKCS12",
                "-keystore",
                store.toString(),
                "-storepass",
                "changeit",
                "-keypass",
                "changeit"));
        command.addAll(algorithm.equals("EC") ? List.of("-groupname", "secp256r1") : List.of("-keysize", "2048"));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor()).as(output).isZero();
        KeyStore ks = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(store)) {
            ks.load(in, "changeit".toCharArray());
        }
        return new Identity(
                (PrivateKey) ks.getKey(name, "changeit".toCharArray()), (X509Certificate) ks.getCertificate(name));
    }

    private static String pem(String type, byte[] der) {
        return "-----BEGIN " + type + "-----\n"
                + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
                        .encodeToString(der)
                + "\n-----END " + type + "-----\n";
    }

    private Path write(String name, String text) throws IOException {
        return Files.writeString(dir.resolve(name), text, StandardCharsets.US_ASCII);
    }

    private void install(Identity identity) throws Exception {
        write("fullchain.pem", pem("CERTIFICATE", identity.certificate().getEncoded()));
        write("privkey.pem", pem("PRIVATE KEY", identity.key().getEncoded()));
    }

    private HttpServer start(dev.myelin.core.time.Clock clock, Duration interval) {
        Router router = new Router()
                .register(Endpoint.of(
                        HttpMethod.GET,
                        "/ping",
                        AuthRequirement.NONE,
                        req -> MatrixResponse.bytes(200, "text/plain", "pong".getBytes(StandardCharsets.UTF_8))));
        server = HttpServer.builder(router, clock)
                .listenTls("127.0.0.1", 0, dir.resolve("fullchain.pem"), dir.resolve("privkey.pem"))
                .tlsReloadInterval(interval)
                .build();
        server.start();
        return server;
    }

    /** Connects trusting any certificate, and returns the subject of the one the server presented. */
    private String presentedSubject() throws Exception {
        try (SSLSocket socket = connect()) {
            socket.startHandshake();
            X509Certificate leaf = (X509Certificate) socket.getSession().getPeerCertificates()[0];
            return leaf.getSubjectX500Principal().getName();
        }
    }

    private SSLSocket connect() throws Exception {
        TrustManager trustAll = new X509TrustManager() {
            @Override
            public void checkClientTrusted(X509Certificate[] chain, String authType) {}

            @Override
            public void checkServerTrusted(X509Certificate[] chain, String authType) {}

            @Override
            public X509Certificate[] getAcceptedIssuers() {
                return new X509Certificate[0];
            }
        };
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(null, new TrustManager[] {trustAll}, null);
        return (SSLSocket) context.getSocketFactory().createSocket("127.0.0.1", server.port());
    }

    @Test
    void servesHttpsWithTheCertificateFromPemFiles() throws Exception {
        install(first);
        start(new ManualClock(), Duration.ZERO);

        try (SSLSocket socket = connect()) {
            OutputStream out = socket.getOutputStream();
            out.write("GET /ping HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n"
                    .getBytes(StandardCharsets.US_ASCII));
            out.flush();
            String response = new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);

            assertThat(response).startsWith("HTTP/1.1 200").endsWith("pong");
            assertThat(((X509Certificate) socket.getSession().getPeerCertificates()[0])
                            .getSubjectX500Principal()
                            .getName())
                    .isEqualTo("CN=first");
        }
    }

    @Test
    void aTlsClientThatNeverFinishesItsHandshakeIsClosedAtTheHeaderTimeout() throws Exception {
        install(first);
        Router router = new Router()
                .register(Endpoint.of(
                        HttpMethod.GET,
                        "/ping",
                        AuthRequirement.NONE,
                        req -> MatrixResponse.bytes(200, "text/plain", "pong".getBytes(StandardCharsets.UTF_8))));
        server = HttpServer.builder(router, new ManualClock())
                .listenTls("127.0.0.1", 0, dir.resolve("fullchain.pem"), dir.resolve("privkey.pem"))
                .requestHeaderTimeout(Duration.ofSeconds(1))
                .build();
        server.start();
        // a plain socket sending the first bytes of a TLS record and then nothing more
        try (RawConnection connection = new RawConnection(server.port())) {
            connection.write("\u0016\u0003\u0001");
            assertThat(connection.closedByServerWithin(4_000)).isTrue();
        }
        // a real TLS client that sends its request in time is served, also twice on one connection
        try (SSLSocket socket = connect()) {
            OutputStream out = socket.getOutputStream();
            out.write("GET /ping HTTP/1.1\r\nHost: localhost\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            out.write("GET /ping HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n"
                    .getBytes(StandardCharsets.US_ASCII));
            out.flush();
            String responses = new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(responses.split("HTTP/1.1 200", -1)).hasSize(3);
        }
    }

    @Test
    void newConnectionsSeeTheReplacedCertificateAfterTheNextClockTick() throws Exception {
        install(first);
        ManualClock clock = new ManualClock();
        start(clock, Duration.ofMinutes(1));
        assertThat(clock.awaitSleepers(1, Duration.ofSeconds(10))).isTrue();
        assertThat(presentedSubject()).isEqualTo("CN=first");

        install(second);
        // advance returns once the reloader has woken; it is done with its step when it sleeps again
        clock.advance(Duration.ofMinutes(1));
        assertThat(clock.awaitSleepers(1, Duration.ofSeconds(10))).isTrue();

        assertThat(presentedSubject()).isEqualTo("CN=second");
    }

    @Test
    void keyThatDoesNotMatchTheCertificateKeepsTheCurrentPairUntilBothAreReplaced() throws Exception {
        install(first);
        start(new ManualClock(), Duration.ZERO);

        write("fullchain.pem", pem("CERTIFICATE", second.certificate().getEncoded()));
        assertThat(server.reloadTlsCertificates()).isZero();
        assertThat(presentedSubject()).isEqualTo("CN=first");

        write("privkey.pem", pem("PRIVATE KEY", second.key().getEncoded()));
        assertThat(server.reloadTlsCertificates()).isEqualTo(1);
        assertThat(presentedSubject()).isEqualTo("CN=second");
        assertThat(server.reloadTlsCertificates()).isZero();
    }

    @Test
    void readsPkcs1RsaKeys() throws Exception {
        // A PKCS#8 RSA key's OCTET STRING is the PKCS#1 RSAPrivateKey.
        byte[] pkcs1 =
                Der.children(Der.parse(rsa.key().getEncoded()).value()).get(2).value();
        write(
                "fullchain.pem",
                "subject=CN = rsa\n" + pem("CERTIFICATE", rsa.certificate().getEncoded()));
        write("privkey.pem", pem("RSA PRIVATE KEY", pkcs1));
        start(new ManualClock(), Duration.ZERO);

        assertThat(presentedSubject()).isEqualTo("CN=rsa");
    }

    @Test
    void readsSec1EcKeysWithTheirNamedCurve() throws Exception {
        List<Der.Element> pkcs8 =
                Der.children(Der.parse(first.key().getEncoded()).value());
        byte[] curve = Der.children(pkcs8.get(1).value()).get(1).encoded();
        List<Der.Element> ecKey = Der.children(Der.parse(pkcs8.get(2).value()).value());
        byte[] sec1 = Der.sequence(ecKey.get(0).encoded(), ecKey.get(1).encoded(), Der.encode(Der.CONTEXT_0, curve));
        write("fullchain.pem", pem("CERTIFICATE", first.certificate().getEncoded()));
        write("privkey.pem", pem("EC PARAMETERS", curve) + pem("EC PRIVATE KEY", sec1));
        start(new ManualClock(), Duration.ZERO);

        assertThat(presentedSubject()).isEqualTo("CN=first");
    }

    @Test
    void unusablePemFilesFailTheBuildNamingTheFile() throws Exception {
        install(first);
        write("privkey.pem", "-----BEGIN ENCRYPTED PRIVATE KEY-----\nAAAA\n-----END ENCRYPTED PRIVATE KEY-----\n");
        Router router = new Router();

        assertThatThrownBy(() -> HttpServer.builder(router, new ManualClock())
                        .listenTls("127.0.0.1", 0, dir.resolve("fullchain.pem"), dir.resolve("privkey.pem"))
                        .build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("privkey.pem")
                .hasMessageContaining("encrypted");
        assertThatThrownBy(() -> HttpServer.builder(router, new ManualClock())
                        .listenTls("127.0.0.1", 0, dir.resolve("missing.pem"), dir.resolve("privkey.pem"))
                        .build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("missing.pem");
    }
}
