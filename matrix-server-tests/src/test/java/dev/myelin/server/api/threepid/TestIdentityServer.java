package dev.myelin.server.api.threepid;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import dev.myelin.core.crypto.JsonSigning;
import dev.myelin.core.crypto.SigningKey;
import dev.myelin.testing.TestCertificateAuthority;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyFactory;
import java.security.KeyStore;
import java.security.MessageDigest;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;

/**
 * A small identity server (the parts of {@code /_matrix/identity/v2} a homeserver calls) over
 * HTTPS on 127.0.0.1, for tests: validated sessions the test sets up, bind and unbind, hashed
 * lookup, store-invite and key validity. Its certificate (for 127.0.0.1) is issued by a throwaway
 * CA, which the server under test is told to trust.
 */
final class TestIdentityServer implements AutoCloseable {
    static final String ACCESS_TOKEN = "id-token";
    private static final String PEPPER = "pepper";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final HttpsServer server;
    private final SigningKey key = SigningKey.generate("0");
    private final Map<String, String[]> sessions = new ConcurrentHashMap<>();
    private final Map<String, String> bindings = new ConcurrentHashMap<>();
    final List<JsonNode> unbinds = new CopyOnWriteArrayList<>();
    final List<JsonNode> storedInvites = new CopyOnWriteArrayList<>();
    private volatile boolean keysValid = true;

    private final Path caCertificate;

    private TestIdentityServer(HttpsServer server, Path caCertificate) {
        this.server = server;
        this.caCertificate = caCertificate;
        server.createContext("/", this::handle);
        server.start();
    }

    static TestIdentityServer start(Path dir) throws Exception {
        TestCertificateAuthority ca = TestCertificateAuthority.create(dir);
        TestCertificateAuthority.Issued issued = ca.issue("localhost");
        HttpsServer server = HttpsServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 10);
        server.setHttpsConfigurator(new HttpsConfigurator(context(issued)));
        return new TestIdentityServer(server, ca.certificate());
    }

    /** The PEM certificate of the CA that issued its certificate, for {@code federation_custom_ca_list}. */
    Path caCertificate() {
        return caCertificate;
    }

    /** The {@code id_server} value clients send: host and port. */
    String name() {
        return "127.0.0.1:" + server.getAddress().getPort();
    }

    /** A session the identity server validated for the address, as a client's requestToken would leave it. */
    void validated(String sid, String medium, String address) {
        sessions.put(sid, new String[] {medium, address});
    }

    /** Binds the address to {@code mxid} out of band. */
    void bind(String medium, String address, String mxid) {
        bindings.put(medium + " " + address, mxid);
    }

    String boundTo(String medium, String address) {
        return bindings.get(medium + " " + address);
    }

    /** The public key it signs invites with. */
    String publicKey() {
        return key.verifyKey().toBase64();
    }

    /** Signs {@code json} as the identity server does ({@code signatures.<name>.ed25519:0}). */
    ObjectNode sign(ObjectNode json) {
        return JsonSigning.sign(json, name(), key);
    }

    /** Makes the key validity check answer false (a revoked key). */
    void revokeKeys() {
        keysValid = false;
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            String path = exchange.getRequestURI().getPath();
            byte[] raw = exchange.getRequestBody().readAllBytes();
            JsonNode body = raw.length == 0 ? JSON.createObjectNode() : JSON.readTree(raw);
            boolean authorised = ("Bearer " + ACCESS_TOKEN)
                    .equals(exchange.getRequestHeaders().getFirst("Authorization"));
            ObjectNode answer = JSON.createObjectNode();
            int status = 200;
            switch (path) {
                case "/_matrix/identity/v2/3pid/bind" -> {
                    String[] session = sessions.get(body.path("sid").asText());
                    if (!authorised || session == null) {
                        status = 400;
                        answer.put("errcode", "M_SESSION_NOT_VALIDATED").put("error", "no such session");
                    } else {
                        bind(session[0], session[1], body.path("mxid").asText());
                        answer.put("medium", session[0])
                                .put("address", session[1])
                                .put("mxid", body.path("mxid").asText());
                        answer.put("not_before", 0)
                                .put("not_after", 4582425849161L)
                                .put("ts", 0);
                        sign(answer);
                    }
                }
                case "/_matrix/identity/v2/3pid/unbind" -> {
                    unbinds.add(body);
                    String key = body.path("threepid").path("medium").asText() + " "
                            + body.path("threepid").path("address").asText();
                    if (!body.path("mxid").asText().equals(bindings.get(key))) {
                        status = 404;
                        answer.put("errcode", "M_NOT_FOUND").put("error", "not bound");
                    } else {
                        bindings.remove(key);
                    }
                }
                case "/_matrix/identity/v2/hash_details" -> {
                    answer.put("lookup_pepper", PEPPER);
                    answer.putArray("algorithms").add("none").add("sha256");
                }
                case "/_matrix/identity/v2/lookup" -> {
                    ObjectNode mappings = answer.putObject("mappings");
                    for (JsonNode hash : body.path("addresses")) {
                        bindings.forEach((threePid, mxid) -> {
                            String[] parts = threePid.split(" ", 2);
                            if (sha256(parts[1] + " " + parts[0] + " " + PEPPER).equals(hash.asText())) {
                                mappings.put(hash.asText(), mxid);
                            }
                        });
                    }
                }
                case "/_matrix/identity/v2/store-invite" -> {
                    storedInvites.add(body);
                    answer.put("token", "invite-token-" + storedInvites.size()).put("display_name", "a...@example.org");
                    answer.putArray("public_keys")
                            .addObject()
                            .put("public_key", publicKey())
                            .put("key_validity_url", "https://" + name() + "/_matrix/identity/v2/pubkey/isvalid");
                }
                case "/_matrix/identity/v2/pubkey/isvalid" -> answer.put("valid", keysValid);
                default -> {
                    status = 404;
                    answer.put("errcode", "M_UNRECOGNIZED").put("error", "unknown path");
                }
            }
            if (path.startsWith("/_matrix/identity/v2/")
                    && !path.endsWith("/isvalid")
                    && !path.endsWith("/unbind")
                    && !authorised) {
                status = 401;
                answer =
                        JSON.createObjectNode().put("errcode", "M_UNAUTHORIZED").put("error", "no token");
            }
            byte[] out = JSON.writeValueAsBytes(answer);
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.sendResponseHeaders(status, out.length);
            exchange.getResponseBody().write(out);
        }
    }

    private static String sha256(String value) {
        try {
            return Base64.getUrlEncoder()
                    .withoutPadding()
                    .encodeToString(
                            MessageDigest.getInstance("SHA-256").digest(value.getBytes(StandardCharsets.UTF_8)));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static SSLContext context(TestCertificateAuthority.Issued issued) throws Exception {
        Certificate cert = CertificateFactory.getInstance("X.509")
                .generateCertificate(new ByteArrayInputStream(Files.readAllBytes(issued.certificate())));
        String pem = Files.readString(issued.privateKey())
                .replaceAll("-----[A-Z ]+-----", "")
                .replaceAll("\\s", "");
        PrivateKey key = KeyFactory.getInstance("EC")
                .generatePrivate(new PKCS8EncodedKeySpec(Base64.getDecoder().decode(pem)));
        KeyStore store = KeyStore.getInstance("PKCS12");
        store.load(null, null);
        store.setKeyEntry("server", key, "pw".toCharArray(), new Certificate[] {cert});
        KeyManagerFactory keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        keys.init(store, "pw".toCharArray());
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(keys.getKeyManagers(), null, null);
        return context;
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
