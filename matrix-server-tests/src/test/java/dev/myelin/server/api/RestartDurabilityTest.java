package dev.myelin.server.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.myelin.server.Main;
import dev.myelin.server.api.appservice.LoopbackAppService;
import dev.myelin.storage.DatabaseConfig;
import dev.myelin.storage.testing.TestDatabases;
import dev.myelin.storage.testing.TestDatabases.Kind;
import dev.myelin.testing.appservice.AppServiceRegistration;
import dev.myelin.testing.appservice.TestAppService;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * What a client was given must outlive the process: a client that retries a send after the server
 * was killed ({@code SIGKILL}) or stopped ({@code SIGTERM}) gets the event of its first attempt,
 * and the room holds it once (the transaction id is stored with the event); an OpenID token handed
 * to a widget before the restart is still valid after it. Runs the real homeserver main in a child
 * JVM on 127.0.0.1, restarted on the same database.
 */
@Timeout(value = 4, unit = TimeUnit.MINUTES)
class RestartDurabilityTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration START_WITHIN = Duration.ofSeconds(60);

    private final HttpClient http =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private Process server;

    @TempDir
    Path dir;

    @AfterEach
    void stopServer() throws InterruptedException {
        if (server != null && server.isAlive()) {
            server.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
        }
    }

    @ParameterizedTest
    @EnumSource(Kind.class)
    void aRetryAfterAKillOrAStopReturnsTheFirstEventOnceAndIssuedTokensStayValid(Kind kind) throws Exception {
        int port = freePort();
        Path config = writeConfig(kind, port);
        String base = "http://127.0.0.1:" + port;
        start(config, base);

        JsonNode registered = call("POST", base + "/_matrix/client/v3/register", null, """
                {"username": "alice", "password": "correct horse", "auth": {"type": "m.login.dummy"}}""");
        String token = registered.get("access_token").asText();
        String room = call("POST", base + "/_matrix/client/v3/createRoom", token, "{}")
                .get("room_id")
                .asText();
        String send = base + "/_matrix/client/v3/rooms/" + enc(room) + "/send/m.room.message/";

        String openId = call(
                        "POST",
                        base + "/_matrix/client/v3/user/"
                                + enc(registered.get("user_id").asText()) + "/openid/request_token",
                        token,
                        "{}")
                .get("access_token")
                .asText();
        String killed = call("PUT", send + "t1", token, "{\"msgtype\": \"m.text\", \"body\": \"before kill\"}")
                .get("event_id")
                .asText();
        server.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
        start(config, base);
        assertThat(call("PUT", send + "t1", token, "{\"msgtype\": \"m.text\", \"body\": \"before kill\"}")
                        .get("event_id")
                        .asText())
                .as("retried after SIGKILL")
                .isEqualTo(killed);

        String stopped = call("PUT", send + "t2", token, "{\"msgtype\": \"m.text\", \"body\": \"before stop\"}")
                .get("event_id")
                .asText();
        server.destroy();
        assertThat(server.waitFor(60, TimeUnit.SECONDS)).as("stops on SIGTERM").isTrue();
        start(config, base);
        assertThat(call("PUT", send + "t2", token, "{\"msgtype\": \"m.text\", \"body\": \"before stop\"}")
                        .get("event_id")
                        .asText())
                .as("retried after SIGTERM")
                .isEqualTo(stopped);
        assertThat(call("PUT", send + "t1", token, "{\"msgtype\": \"m.text\", \"body\": \"before kill\"}")
                        .get("event_id")
                        .asText())
                .isEqualTo(killed);

        assertThat(call("GET", base + "/_matrix/federation/v1/openid/userinfo?access_token=" + enc(openId), null, null)
                        .get("sub")
                        .asText())
                .as("an OpenID token issued before the restarts")
                .isEqualTo("@alice:restart.test");

        JsonNode chunk = call(
                        "GET",
                        base + "/_matrix/client/v3/rooms/" + enc(room) + "/messages?dir=b&limit=100",
                        token,
                        null)
                .get("chunk");
        List<String> bodies = new java.util.ArrayList<>();
        chunk.forEach(e -> {
            if (e.path("type").asText().equals("m.room.message")) {
                bodies.add(e.at("/content/body").asText());
            }
        });
        assertThat(bodies).containsExactlyInAnyOrder("before kill", "before stop");
    }

    /**
     * An application service that was down while the homeserver was killed and restarted still
     * gets every event of interest, once each and in order: its position is stored only when it
     * acknowledged a transaction.
     */
    @ParameterizedTest
    @EnumSource(Kind.class)
    void anApplicationServiceGetsWhatItMissedAcrossAKill(Kind kind) throws Exception {
        int port = freePort();
        int servicePort = freePort();
        TestAppService bridge = TestAppService.of(AppServiceRegistration.builder("irc")
                .url("http://127.0.0.1:" + servicePort)
                .asToken("as-token-restart")
                .hsToken("hs-token-restart")
                .senderLocalpart("ircbot")
                .exclusiveUsers("@irc_.*:restart\\.test")
                .build());
        Path registration = dir.resolve("irc.yaml");
        Files.writeString(registration, bridge.registration().toYaml());
        Path config = writeConfig(kind, port);
        Files.writeString(config, Files.readString(config) + "\napp_service_config_files: ['" + registration + "']\n");
        String base = "http://127.0.0.1:" + port;
        try (LoopbackAppService service = new LoopbackAppService(bridge, servicePort)) {
            service.start();
            start(config, base);
            String token = call("POST", base + "/_matrix/client/v3/register", null, """
                            {"username": "alice", "password": "correct horse", "auth": {"type": "m.login.dummy"}}""")
                    .get("access_token")
                    .asText();
            String room = call("POST", base + "/_matrix/client/v3/createRoom", token, "{\"preset\": \"public_chat\"}")
                    .get("room_id")
                    .asText();
            call("POST", base + "/_matrix/client/v3/register", "as-token-restart", """
                    {"type": "m.login.application_service", "username": "irc_bob", "inhibit_login": true}""");
            call(
                    "POST",
                    base + "/_matrix/client/v3/join/" + enc(room) + "?user_id=" + enc("@irc_bob:restart.test"),
                    "as-token-restart",
                    "{}");
            bridge.awaitEvent(e -> e.membership().filter("join"::equals).isPresent(), Duration.ofSeconds(30));

            service.stop();
            String send = base + "/_matrix/client/v3/rooms/" + enc(room) + "/send/m.room.message/";
            call("PUT", send + "m1", token, "{\"msgtype\": \"m.text\", \"body\": \"one\"}");
            call("PUT", send + "m2", token, "{\"msgtype\": \"m.text\", \"body\": \"two\"}");
            server.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
            start(config, base);
            call("PUT", send + "m3", token, "{\"msgtype\": \"m.text\", \"body\": \"three\"}");
            service.start();
            bridge.awaitEvent(e -> e.isMessage("three"), Duration.ofSeconds(60));
        }
        assertThat(bridge.events().stream()
                        .filter(e -> e.type().equals("m.room.message"))
                        .map(e -> e.body().orElse("")))
                .containsExactly("one", "two", "three");
    }

    /**
     * A notification that could not reach its push gateway before the homeserver was killed is
     * sent once it is back: waiting notifications are stored, not only held in memory.
     */
    @ParameterizedTest
    @EnumSource(Kind.class)
    void aPushWaitingForItsGatewayIsSentAfterAKill(Kind kind) throws Exception {
        int port = freePort();
        int gatewayPort = freePort();
        Path config = writeConfig(kind, port);
        Files.writeString(config, Files.readString(config) + "\nip_range_whitelist: ['127.0.0.1']\n");
        String base = "http://127.0.0.1:" + port;
        start(config, base);
        String alice = call("POST", base + "/_matrix/client/v3/register", null, """
                        {"username": "alice", "password": "correct horse", "auth": {"type": "m.login.dummy"}}""")
                .get("access_token")
                .asText();
        String bob = call("POST", base + "/_matrix/client/v3/register", null, """
                        {"username": "bob", "password": "correct horse", "auth": {"type": "m.login.dummy"}}""")
                .get("access_token")
                .asText();
        String room = call("POST", base + "/_matrix/client/v3/createRoom", alice, """
                        {"preset": "private_chat", "invite": ["@bob:restart.test"]}""")
                .get("room_id")
                .asText();
        call("POST", base + "/_matrix/client/v3/join/" + enc(room), bob, "{}");
        call("POST", base + "/_matrix/client/v3/pushers/set", alice, """
                {"kind": "http", "app_id": "dev.myelin.restart", "app_display_name": "Test",
                 "device_display_name": "Phone", "pushkey": "key-1", "lang": "en",
                 "data": {"url": "http://127.0.0.1:%d/_matrix/push/v1/notify"}}""".formatted(gatewayPort));
        String event = call(
                        "PUT",
                        base + "/_matrix/client/v3/rooms/" + enc(room) + "/send/m.room.message/p1",
                        bob,
                        "{\"msgtype\": \"m.text\", \"body\": \"while the gateway was down\"}")
                .get("event_id")
                .asText();
        // the first attempt finds nothing listening, and the notification waits for a retry
        Thread.sleep(500);
        server.destroyForcibly().waitFor(30, TimeUnit.SECONDS);

        java.util.concurrent.BlockingQueue<JsonNode> pushes = new java.util.concurrent.LinkedBlockingQueue<>();
        com.sun.net.httpserver.HttpServer gateway =
                com.sun.net.httpserver.HttpServer.create(new java.net.InetSocketAddress("127.0.0.1", gatewayPort), 0);
        gateway.createContext("/_matrix/push/v1/notify", exchange -> {
            pushes.add(JSON.readTree(exchange.getRequestBody()));
            byte[] answer = "{}".getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.sendResponseHeaders(200, answer.length);
            exchange.getResponseBody().write(answer);
            exchange.close();
        });
        gateway.start();
        try {
            start(config, base);
            JsonNode push = pushes.poll(60, TimeUnit.SECONDS);
            assertThat(push).as("the stored notification, after the restart").isNotNull();
            assertThat(push.at("/notification/event_id").asText()).isEqualTo(event);
            assertThat(push.at("/notification/content/body").asText()).isEqualTo("while the gateway was down");
            assertThat(push.at("/notification/devices/0/pushkey").asText()).isEqualTo("key-1");
        } finally {
            gateway.stop(0);
        }
    }

    private Path writeConfig(Kind kind, int port) throws IOException {
        Path config = dir.resolve("homeserver.yaml");
        var out = new java.io.ByteArrayOutputStream();
        var err = new java.io.ByteArrayOutputStream();
        int code = new dev.myelin.server.cli.Cli(
                        new java.io.PrintStream(out, true, StandardCharsets.UTF_8),
                        new java.io.PrintStream(err, true, StandardCharsets.UTF_8))
                .run(
                        "generate-config",
                        "--server-name",
                        "restart.test",
                        "--config-path",
                        config.toString(),
                        "--data-dir",
                        dir.resolve("data").toString(),
                        "--port",
                        Integer.toString(port));
        assertThat(code).as(err.toString(StandardCharsets.UTF_8)).isZero();
        String text = Files.readString(config)
                .replaceAll("(?m)^enable_registration: .*$", "enable_registration: true")
                .replaceAll(
                        "(?m)^enable_registration_without_verification: .*$",
                        "enable_registration_without_verification: true");
        if (kind == Kind.POSTGRES) {
            DatabaseConfig db = TestDatabases.freshConfig(kind);
            String args = "    url: \"" + db.jdbcUrl() + "\"\n"
                    + db.user().map(u -> "    user: \"" + u + "\"\n").orElse("")
                    + db.password().map(p -> "    password: \"" + p + "\"\n").orElse("");
            text = text.replaceAll(
                    "(?m)^database:\\n  name: sqlite3\\n  args:\\n    database: .*\\n",
                    java.util.regex.Matcher.quoteReplacement("database:\n  name: jdbc\n  args:\n" + args));
            assertThat(text).contains("name: jdbc");
        }
        Files.writeString(config, text);
        return config;
    }

    private void start(Path config, String base) throws Exception {
        Path java = Paths.get(System.getProperty("java.home"), "bin", "java");
        server = new ProcessBuilder(
                        java.toString(),
                        "-cp",
                        System.getProperty("java.class.path"),
                        Main.class.getName(),
                        "run",
                        "--config",
                        config.toString())
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(
                        dir.resolve("server.log").toFile()))
                .start();
        Instant deadline = Instant.now().plus(START_WITHIN);
        while (Instant.now().isBefore(deadline)) {
            assertThat(server.isAlive()).as("the server exited: %s", log()).isTrue();
            try {
                HttpResponse<String> versions = http.send(
                        HttpRequest.newBuilder(URI.create(base + "/_matrix/client/versions"))
                                .timeout(Duration.ofSeconds(5))
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
                if (versions.statusCode() == 200) {
                    return;
                }
            } catch (IOException notYet) {
                // not listening yet
            }
            Thread.sleep(200);
        }
        throw new AssertionError("the server did not answer within " + START_WITHIN + ": " + log());
    }

    private String log() {
        try {
            return Files.readString(dir.resolve("server.log"));
        } catch (IOException e) {
            return "(no log: " + e.getMessage() + ")";
        }
    }

    private JsonNode call(String method, String url, String token, String body) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url))
                .timeout(Duration.ofSeconds(30))
                .method(
                        method,
                        body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        if (body != null) {
            request.header("Content-Type", "application/json");
        }
        HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode())
                .as(method + " " + url + ": " + response.body())
                .isEqualTo(200);
        return JSON.readTree(response.body());
    }

    private static String enc(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }
}
