package dev.myelin.federation.discovery;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.ssl.SslContextFactory;

/**
 * An HTTPS server on loopback answering {@code .well-known} requests per {@code Host}, with a
 * self-signed certificate for {@link #NAMES} made by the JDK's keytool.
 */
final class WellKnownServer implements AutoCloseable {
    static final List<String> NAMES =
            List.of("example.test", "other.test", "loop-a.test", "loop-b.test", "slow.test", "big.test");

    /** One canned answer. */
    record Answer(int status, Map<String, String> headers, byte[] body, Duration delay) {
        static Answer json(String json) {
            return new Answer(
                    200,
                    Map.of("Content-Type", "application/json"),
                    json.getBytes(StandardCharsets.UTF_8),
                    Duration.ZERO);
        }

        static Answer status(int status) {
            return new Answer(status, Map.of(), new byte[0], Duration.ZERO);
        }

        static Answer redirect(String location) {
            return new Answer(302, Map.of("Location", location), new byte[0], Duration.ZERO);
        }
    }

    private final Server server;
    private final Map<String, Answer> answers = new ConcurrentHashMap<>();
    final List<String> requests = Collections.synchronizedList(new ArrayList<>());
    final X509Certificate certificate;

    WellKnownServer(Path dir) throws Exception {
        Path store = dir.resolve("server.p12");
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "keytool").toString(),
                "-genkeypair",
                "-alias",
                "server",
                "-keyalg",
                "EC",
                "-groupname",
                "secp256r1",
                "-dname",
                "CN=example.test",
                "-ext",
                "san=" + String.join(",", NAMES.stream().map(n -> "dns:" + n).toList()),
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
        // one key pair per directory: tests sharing a directory share the certificate
        if (!Files.exists(store)) {
            Process keytool =
                    new ProcessBuilder(command).redirectErrorStream(true).start();
            String output = new String(keytool.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(keytool.waitFor()).as(output).isZero();
        }
        KeyStore keys = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(store)) {
            keys.load(in, "changeit".toCharArray());
        }
        certificate = (X509Certificate) keys.getCertificate("server");

        SslContextFactory.Server tls = new SslContextFactory.Server();
        tls.setKeyStore(keys);
        tls.setKeyStorePassword("changeit");
        server = new Server();
        ServerConnector connector = new ServerConnector(server, tls);
        connector.setHost("127.0.0.1");
        connector.setPort(0);
        server.addConnector(connector);
        server.setHandler(new Handler.Abstract() {
            @Override
            public boolean handle(Request request, Response response, Callback callback) throws Exception {
                String host = Request.getServerName(request);
                requests.add(host + request.getHttpURI().getPath());
                Answer answer = answers.get(host);
                if (answer == null || !request.getHttpURI().getPath().equals("/.well-known/matrix/server")) {
                    answer = Answer.status(404);
                }
                if (!answer.delay().isZero()) {
                    Thread.sleep(answer.delay());
                }
                response.setStatus(answer.status());
                answer.headers().forEach((name, value) -> response.getHeaders().put(name, value));
                response.write(true, ByteBuffer.wrap(answer.body()), callback);
                return true;
            }
        });
        server.start();
    }

    int port() {
        return ((ServerConnector) server.getConnectors()[0]).getLocalPort();
    }

    void answer(String host, Answer answer) {
        answers.put(host, answer);
    }

    /** {@code https://host:port/.well-known/matrix/server} on this server. */
    String url(String host) {
        return URI.create("https://" + host + ":" + port() + "/.well-known/matrix/server")
                .toString();
    }

    @Override
    public void close() throws Exception {
        server.stop();
    }
}
