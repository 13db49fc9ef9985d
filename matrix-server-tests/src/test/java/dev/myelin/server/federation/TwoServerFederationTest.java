package dev.myelin.server.federation;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.myelin.core.crypto.SigningKey;
import dev.myelin.core.id.ServerName;
import dev.myelin.federation.auth.RequestSigner;
import dev.myelin.server.Main;
import dev.myelin.storage.DatabaseConfig;
import dev.myelin.storage.testing.TestDatabases;
import dev.myelin.testing.TestCertificateAuthority;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two homeserver processes federating over TLS on loopback: {@code hs1.test} and {@code
 * hs2.test}, with certificates from a CA the test makes, found through {@code
 * federation_static_dns} (SRV records pointing at their ports; no real DNS). Shows key exchange,
 * a notary lookup of hs1's keys through hs2, an authenticated request each way, a forged signature
 * refused, and a transaction queued while hs2 is down (and hs1 restarted) delivered once hs2 is
 * back. Runs on SQLite, and on PostgreSQL in the PostgreSQL run of this module.
 */
@Timeout(value = 5, unit = TimeUnit.MINUTES)
class TwoServerFederationTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration START_WITHIN = Duration.ofSeconds(90);
    private static final Duration DELIVER_WITHIN = Duration.ofSeconds(60);

    @TempDir
    Path dir;

    private final Map<String, Process> processes = new LinkedHashMap<>();
    private final Map<String, Integer> ports = new LinkedHashMap<>();
    private HttpClient http;

    @AfterEach
    void stopServers() throws InterruptedException {
        for (Process process : processes.values()) {
            if (process.isAlive()) {
                process.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
            }
        }
    }

    @Test
    void twoServerProcessesFederateOverTls() throws Exception {
        TestCertificateAuthority ca = TestCertificateAuthority.create(dir);
        http = HttpClient.newBuilder()
                .sslContext(ca.clientContext())
                .connectTimeout(Duration.ofSeconds(5))
                .build();
        ports.put("hs1.test", freePort());
        ports.put("hs2.test", freePort());
        for (String name : ports.keySet()) {
            writeConfig(name, ca, ca.issue(name));
        }
        start("hs1.test");
        start("hs2.test");

        JsonNode alice = register("hs1.test", "alice");
        JsonNode bob = register("hs2.test", "bob");
        call(
                "hs2.test",
                "PUT",
                "/_matrix/client/v3/profile/" + enc("@bob:hs2.test") + "/displayname",
                token(bob),
                "{\"displayname\": \"Bob on hs2\"}");
        call(
                "hs1.test",
                "PUT",
                "/_matrix/client/v3/profile/" + enc("@alice:hs1.test") + "/displayname",
                token(alice),
                "{\"displayname\": \"Alice on hs1\"}");

        // an authenticated request each way: each server signs, the other fetches its key to check
        assertThat(call("hs1.test", "GET", "/_matrix/client/v3/profile/" + enc("@bob:hs2.test"), token(alice), null)
                        .path("displayname")
                        .asText())
                .isEqualTo("Bob on hs2");
        assertThat(call("hs2.test", "GET", "/_matrix/client/v3/profile/" + enc("@alice:hs1.test"), token(bob), null)
                        .path("displayname")
                        .asText())
                .isEqualTo("Alice on hs1");

        // notary: hs2 hands on hs1's own signed keys, with its signature added
        JsonNode hs1Keys = call("hs1.test", "GET", "/_matrix/key/v2/server", null, null);
        String hs1KeyId = hs1Keys.path("verify_keys").fieldNames().next();
        JsonNode notarised =
                call("hs2.test", "POST", "/_matrix/key/v2/query", null, "{\"server_keys\": {\"hs1.test\": {}}}");
        JsonNode entry = notarised.path("server_keys").path(0);
        assertThat(entry.path("server_name").asText()).isEqualTo("hs1.test");
        assertThat(entry.path("verify_keys").path(hs1KeyId).path("key").asText())
                .isEqualTo(
                        hs1Keys.path("verify_keys").path(hs1KeyId).path("key").asText());
        assertThat(entry.path("signatures").path("hs1.test").has(hs1KeyId)).isTrue();
        assertThat(entry.path("signatures").has("hs2.test")).isTrue();

        // a request claiming to come from hs1, signed with another key under hs1's key id
        String forgedPath = "/_matrix/federation/v1/query/profile?user_id=" + enc("@bob:hs2.test");
        RequestSigner forger = new RequestSigner(
                ServerName.parse("hs1.test"), SigningKey.generate(hs1KeyId.substring("ed25519:".length())));
        String forged = forger.sign("GET", forgedPath, ServerName.parse("hs2.test"), Optional.empty())
                .format();
        HttpResponse<String> refused = send("hs2.test", "GET", forgedPath, Map.of("Authorization", forged), null);
        assertThat(refused.statusCode()).as(refused.body()).isEqualTo(401);
        assertThat(JSON.readTree(refused.body()).path("errcode").asText()).isEqualTo("M_UNAUTHORIZED");
        HttpResponse<String> unsigned = send("hs2.test", "GET", forgedPath, Map.of(), null);
        assertThat(unsigned.statusCode()).as(unsigned.body()).isEqualTo(401);

        // a transaction queued while hs2 is down survives hs1's restart and arrives when hs2 is back
        stop("hs2.test");
        call(
                "hs1.test",
                "PUT",
                "/_matrix/client/v3/sendToDevice/org.example.test/t1",
                token(alice),
                "{\"messages\": {\"@bob:hs2.test\": {\"" + bob.path("device_id").asText()
                        + "\": {\"text\": \"sent while hs2 was down\"}}}}");
        stop("hs1.test");
        start("hs1.test");
        start("hs2.test");
        assertThat(awaitToDevice("hs2.test", token(bob))).containsExactly("@alice:hs1.test: sent while hs2 was down");
    }

    private List<String> awaitToDevice(String server, String token) throws Exception {
        Instant deadline = Instant.now().plus(DELIVER_WITHIN);
        List<String> seen = new ArrayList<>();
        while (seen.isEmpty() && Instant.now().isBefore(deadline)) {
            JsonNode sync = call(server, "GET", "/_matrix/client/v3/sync?timeout=1000", token, null);
            for (JsonNode event : sync.path("to_device").path("events")) {
                seen.add(event.path("sender").asText() + ": "
                        + event.path("content").path("text").asText());
            }
        }
        return seen;
    }

    private void writeConfig(String name, TestCertificateAuthority ca, TestCertificateAuthority.Issued cert)
            throws IOException {
        Path home = Files.createDirectories(dir.resolve(name));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        // generate-config writes the signing key; the config itself is written below
        int code = new dev.myelin.server.cli.Cli(
                        new PrintStream(out, true, StandardCharsets.UTF_8),
                        new PrintStream(err, true, StandardCharsets.UTF_8))
                .run(
                        "generate-config",
                        "--server-name",
                        name,
                        "--config-path",
                        home.resolve("generated.yaml").toString(),
                        "--data-dir",
                        home.toString(),
                        "--port",
                        Integer.toString(ports.get(name)));
        assertThat(code).as(err.toString(StandardCharsets.UTF_8)).isZero();
        StringBuilder dns = new StringBuilder();
        ports.forEach((server, port) -> dns.append("    _matrix-fed._tcp.")
                .append(server)
                .append(": [\"10 0 ")
                .append(port)
                .append(' ')
                .append(server)
                .append("\"]\n"));
        String yaml = """
                server_name: "%1$s"
                public_baseurl: "https://127.0.0.1:%2$d/"
                listeners:
                  - port: %2$d
                    bind_addresses: ['127.0.0.1']
                    type: http
                    tls: true
                    resources:
                      - names: [client, federation]
                tls_certificate_path: "%3$s"
                tls_private_key_path: "%4$s"
                federation_custom_ca_list: ["%5$s"]
                %6$s
                signing_key_path: "%7$s"
                media_store_path: "%8$s"
                enable_registration: true
                enable_registration_without_verification: true
                trusted_key_servers: []
                # loopback is where the other server is
                ip_range_blacklist: []
                federation_static_dns:
                  hosts:
                    hs1.test: [127.0.0.1]
                    hs2.test: [127.0.0.1]
                  srv:
                %9$s
                federation:
                  destination_min_retry_interval: 1s
                  destination_max_retry_interval: 4s
                rc_message: {per_second: 1000, burst_count: 1000}
                rc_registration: {per_second: 1000, burst_count: 1000}
                """.formatted(
                        name,
                        ports.get(name),
                        cert.certificate(),
                        cert.privateKey(),
                        ca.certificate(),
                        database(home),
                        home.resolve(name + ".signing.key"),
                        home.resolve("media"),
                        dns.toString().stripTrailing());
        Files.writeString(home.resolve("homeserver.yaml"), yaml);
    }

    /** The database section: SQLite, or a fresh PostgreSQL database in the PostgreSQL run. */
    private static String database(Path home) {
        if (!System.getProperty("myelin.test.database", "sqlite").startsWith("postgres")) {
            return "database: {name: sqlite3, args: {database: \"" + home.resolve("homeserver.db") + "\"}}";
        }
        DatabaseConfig db = TestDatabases.freshConfig(TestDatabases.Kind.POSTGRES);
        return "database: {name: jdbc, args: {url: \"" + db.jdbcUrl() + "\""
                + db.user().map(u -> ", user: \"" + u + "\"").orElse("")
                + db.password().map(p -> ", password: \"" + p + "\"").orElse("")
                + "}}";
    }

    private void start(String name) throws Exception {
        Path home = dir.resolve(name);
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        Process process = new ProcessBuilder(
                        java.toString(),
                        "-cp",
                        System.getProperty("java.class.path"),
                        Main.class.getName(),
                        "run",
                        "--config",
                        home.resolve("homeserver.yaml").toString())
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(
                        home.resolve("server.log").toFile()))
                .start();
        processes.put(name, process);
        Instant deadline = Instant.now().plus(START_WITHIN);
        while (Instant.now().isBefore(deadline)) {
            assertThat(process.isAlive()).as("%s exited: %s", name, log(name)).isTrue();
            try {
                if (send(name, "GET", "/_matrix/federation/v1/version", Map.of(), null)
                                .statusCode()
                        == 200) {
                    return;
                }
            } catch (IOException notYet) {
                // not listening yet
            }
            Thread.sleep(200);
        }
        throw new AssertionError(name + " did not answer within " + START_WITHIN + ": " + log(name));
    }

    private void stop(String name) throws InterruptedException {
        Process process = processes.get(name);
        process.destroy();
        assertThat(process.waitFor(60, TimeUnit.SECONDS))
                .as("%s stops on SIGTERM", name)
                .isTrue();
    }

    private String log(String name) {
        try {
            return Files.readString(dir.resolve(name).resolve("server.log"));
        } catch (IOException e) {
            return "(no log: " + e.getMessage() + ")";
        }
    }

    private JsonNode register(String server, String user) throws Exception {
        return call(server, "POST", "/_matrix/client/v3/register", null, """
                {"username": "%s", "password": "correct horse", "auth": {"type": "m.login.dummy"}}""".formatted(user));
    }

    private static String token(JsonNode registered) {
        return registered.path("access_token").asText();
    }

    private JsonNode call(String server, String method, String path, String token, String body) throws Exception {
        Map<String, String> headers = token == null ? Map.of() : Map.of("Authorization", "Bearer " + token);
        HttpResponse<String> response = send(server, method, path, headers, body);
        assertThat(response.statusCode())
                .as(method + " " + server + path + ": " + response.body() + "\n" + log(server))
                .isEqualTo(200);
        return JSON.readTree(response.body());
    }

    private HttpResponse<String> send(
            String server, String method, String path, Map<String, String> headers, String body)
            throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(
                        URI.create("https://127.0.0.1:" + ports.get(server) + path))
                .timeout(Duration.ofSeconds(30))
                .method(
                        method,
                        body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        headers.forEach(request::header);
        if (body != null) {
            request.header("Content-Type", "application/json");
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static String enc(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }
}
