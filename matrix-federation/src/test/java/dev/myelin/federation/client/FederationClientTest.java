package dev.myelin.federation.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.myelin.core.crypto.SigningKey;
import dev.myelin.core.id.ServerName;
import dev.myelin.core.pdu.ServerKey;
import dev.myelin.core.time.SystemClock;
import dev.myelin.federation.auth.InboundRequest;
import dev.myelin.federation.auth.RequestAuthResult;
import dev.myelin.federation.auth.RequestSigner;
import dev.myelin.federation.auth.RequestVerifier;
import dev.myelin.federation.discovery.DiscoveryStep;
import dev.myelin.federation.discovery.ResolvedDestination;
import dev.myelin.federation.discovery.ServerDiscoveryException;
import dev.myelin.federation.discovery.ServerNameResolver;
import dev.myelin.http.client.HostResolver;
import dev.myelin.http.client.IpBlocklist;
import dev.myelin.http.client.MatrixHttpClient;
import dev.myelin.http.client.OutboundConfig;
import dev.myelin.http.client.OutboundResponse;
import dev.myelin.http.client.ResponseTooLargeException;
import dev.myelin.http.client.TrustedCertificates;
import dev.myelin.http.endpoint.EndpointCall;
import dev.myelin.http.endpoint.EndpointSpec;
import dev.myelin.http.error.MatrixException;
import dev.myelin.http.server.AuthRequirement;
import dev.myelin.http.server.Endpoint;
import dev.myelin.http.server.HttpMethod;
import dev.myelin.http.server.HttpServer;
import dev.myelin.http.server.MatrixRequest;
import dev.myelin.http.server.MatrixResponse;
import dev.myelin.http.server.Router;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The federation client against a real TLS server on loopback standing for {@code hs2.test}: the
 * request arrives signed by {@code hs1.test} (checked with the verifier the server side uses), with
 * the {@code Host} header discovery gave, over a connection to the target while the certificate is
 * checked for the server's name.
 */
class FederationClientTest {
    private static final ServerName HS1 = ServerName.parse("hs1.test");
    private static final ServerName HS2 = ServerName.parse("hs2.test");
    private static final SigningKey HS1_KEY = SigningKey.fromSeed("a1", new byte[32]);
    private static final EndpointSpec<ObjectNode, ObjectNode> ECHO =
            EndpointSpec.put("/_matrix/federation/v1/echo/{word}", ObjectNode.class, ObjectNode.class);

    @TempDir
    Path dir;

    private HttpServer server;
    private Path caFile;
    private final List<String> hosts = new java.util.concurrent.CopyOnWriteArrayList<>();

    @BeforeEach
    void startHs2() throws Exception {
        Path store = dir.resolve("id.p12");
        Process keytool = new ProcessBuilder(
                        Path.of(System.getProperty("java.home"), "bin", "keytool")
                                .toString(),
                        "-genkeypair",
                        "-alias",
                        "hs2",
                        "-keyalg",
                        "EC",
                        "-groupname",
                        "secp256r1",
                        "-dname",
                        "CN=hs2.test",
                        "-ext",
                        "san=dns:hs2.test",
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
        X509Certificate certificate = (X509Certificate) ks.getCertificate("hs2");
        PrivateKey key = (PrivateKey) ks.getKey("hs2", "changeit".toCharArray());
        caFile = Files.writeString(dir.resolve("ca.pem"), pem("CERTIFICATE", certificate.getEncoded()));
        Files.writeString(dir.resolve("key.pem"), pem("PRIVATE KEY", key.getEncoded()));

        RequestVerifier verifier = new RequestVerifier(
                HS2,
                (server, keyId) -> CompletableFuture.completedFuture(
                        server.equals(HS1) && keyId.equals(HS1_KEY.keyId())
                                ? Optional.of(new ServerKey(HS1_KEY.verifyKey(), Long.MAX_VALUE))
                                : Optional.empty()),
                SystemClock.INSTANCE);
        Router router = new Router()
                .register(Endpoint.of(HttpMethod.PUT, ECHO.path(), AuthRequirement.NONE, req -> echo(req, verifier)))
                .register(Endpoint.of(HttpMethod.GET, "/_matrix/federation/v1/forbidden", AuthRequirement.NONE, req -> {
                    throw MatrixException.forbidden("not for you");
                }));
        server = HttpServer.builder(router, SystemClock.INSTANCE)
                .listenTls("127.0.0.1", 0, caFile, dir.resolve("key.pem"))
                .build();
        server.start();
    }

    private MatrixResponse echo(MatrixRequest req, RequestVerifier verifier) {
        hosts.add(req.header("Host").orElse(""));
        JsonNode body = req.json();
        String uri = req.rawPath();
        RequestAuthResult result = verifier.verify(
                        new InboundRequest(req.method().name(), uri, req.headers("Authorization"), Optional.of(body)))
                .join();
        ObjectNode answer = JsonNodeFactory.instance.objectNode();
        answer.put("origin", result.originOrThrow().value());
        answer.put("word", req.pathParam("word"));
        answer.set("body", body);
        return MatrixResponse.ok(answer);
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

    /** Only the target names resolve, to loopback: hs2.test itself is never looked up. */
    private static final HostResolver TARGETS = host -> {
        if (host.startsWith("target")) {
            return List.of(InetAddress.getLoopbackAddress());
        }
        throw new UnknownHostException(host);
    };

    private FederationClient client(ServerNameResolver resolver) {
        MatrixHttpClient http = MatrixHttpClient.create(
                OutboundConfig.defaults()
                        .withBlocklist(IpBlocklist.none())
                        .withTrust(TrustedCertificates.fromFiles(List.of(caFile))),
                TARGETS);
        return new FederationClient(new RequestSigner(HS1, HS1_KEY), resolver, http::send);
    }

    /** hs2.test delegated through SRV to the given targets, its certificate checked for hs2.test. */
    private static ServerNameResolver srv(ResolvedDestination.Target... targets) {
        return name -> new ResolvedDestination(
                name, DiscoveryStep.SRV, Optional.empty(), List.of(targets), "hs2.test", "hs2.test");
    }

    private static int closedPort() throws Exception {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    @Test
    void sendsASignedRequestThatTheReceiverAuthenticates() {
        ObjectNode body = JsonNodeFactory.instance.objectNode().put("hello", "world");
        ObjectNode answer = client(srv(new ResolvedDestination.Target("target-a.test", server.port())))
                .send(HS2, EndpointCall.of(ECHO, body, "a b/c"));

        assertThat(answer.path("origin").asText()).isEqualTo("hs1.test");
        assertThat(answer.path("word").asText()).isEqualTo("a b/c");
        assertThat(answer.path("body")).isEqualTo(body);
        assertThat(hosts).containsExactly("hs2.test");
    }

    @Test
    void triesTheNextTargetWhenOneCannotBeReached() throws Exception {
        ObjectNode body = JsonNodeFactory.instance.objectNode();
        ObjectNode answer = client(srv(
                        new ResolvedDestination.Target("target-down.test", closedPort()),
                        new ResolvedDestination.Target("target-up.test", server.port())))
                .send(HS2, EndpointCall.of(ECHO, body, "x"));

        assertThat(answer.path("origin").asText()).isEqualTo("hs1.test");
    }

    @Test
    void anAnswerOverTheCallersLimitIsAbortedAndTheOtherTargetsAreNotTried() {
        MatrixHttpClient http = MatrixHttpClient.create(
                OutboundConfig.defaults()
                        .withBlocklist(IpBlocklist.none())
                        .withTrust(TrustedCertificates.fromFiles(List.of(caFile))),
                TARGETS);
        FederationClient client = new FederationClient(
                new RequestSigner(HS1, HS1_KEY),
                srv(
                        new ResolvedDestination.Target("target-a.test", server.port()),
                        new ResolvedDestination.Target("target-b.test", server.port())),
                FederationTransport.over(request -> http));
        ObjectNode body = JsonNodeFactory.instance.objectNode().put("padding", "x".repeat(500));

        assertThatThrownBy(() -> client.exchange(HS2, EndpointCall.of(ECHO, body, "x"), 100))
                .isInstanceOfSatisfying(
                        ResponseTooLargeException.class,
                        e -> assertThat(e.limit()).isEqualTo(100));
        assertThat(hosts).as("one target answered; the other was not asked").hasSize(1);

        OutboundResponse answer = client.exchange(HS2, EndpointCall.of(ECHO, body, "x"), 10_000);
        assertThat(answer.status()).isEqualTo(200);
        assertThat(answer.body().length).isGreaterThan(500);
        http.close();
    }

    @Test
    void anErrorAnswerCarriesItsErrcode() {
        FederationClient client = client(srv(new ResolvedDestination.Target("target-a.test", server.port())));

        assertThatThrownBy(() -> client.send(
                        HS2, EndpointCall.of(EndpointSpec.get("/_matrix/federation/v1/forbidden", ObjectNode.class))))
                .isInstanceOfSatisfying(FederationErrorException.class, e -> {
                    assertThat(e.status()).isEqualTo(403);
                    assertThat(e.errcode()).isEqualTo("M_FORBIDDEN");
                    assertThat(e.getMessage()).contains("not for you");
                });
    }

    @Test
    void aCertificateForAnotherNameIsRefused() {
        ServerNameResolver wrongName = name -> new ResolvedDestination(
                name,
                DiscoveryStep.SRV,
                Optional.empty(),
                List.of(new ResolvedDestination.Target("target-a.test", server.port())),
                "other.test",
                "other.test");

        assertThatThrownBy(() ->
                        client(wrongName).send(HS2, EndpointCall.of(ECHO, JsonNodeFactory.instance.objectNode(), "x")))
                .isInstanceOf(FederationUnreachableException.class)
                .hasMessageContaining("target-a.test");
    }

    @Test
    void anUnresolvableServerIsUnreachable() {
        ServerNameResolver nowhere = name -> {
            throw new ServerDiscoveryException("no such server", null);
        };

        assertThatThrownBy(() ->
                        client(nowhere).send(HS2, EndpointCall.of(ECHO, JsonNodeFactory.instance.objectNode(), "x")))
                .isInstanceOfSatisfying(FederationUnreachableException.class, e -> {
                    assertThat(e.destination()).isEqualTo(HS2);
                    assertThat(e.getMessage()).contains("no such server");
                });
    }
}
