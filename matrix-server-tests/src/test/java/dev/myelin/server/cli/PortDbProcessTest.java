package dev.myelin.server.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.myelin.server.Homeserver;
import dev.myelin.storage.DatabaseConfig;
import dev.myelin.storage.testing.TestDatabases;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code port-db} as an admin runs it: a homeserver on SQLite serves a room, stops; its database is
 * ported into PostgreSQL; the same config pointed at PostgreSQL serves the same account, token,
 * room and history, and takes new messages after the old ones.
 */
class PortDbProcessTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();
    private final AtomicReference<Homeserver> server = new AtomicReference<>();
    private final AtomicReference<Runnable> stop = new AtomicReference<>();
    private final HttpClient http =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @TempDir
    Path dir;

    private Cli cli() {
        return new Cli(
                new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8),
                (started, stopAction) -> {
                    server.set(started);
                    stop.set(stopAction);
                },
                dir,
                http);
    }

    @AfterEach
    void stopServer() {
        if (stop.get() != null) {
            stop.get().run();
        }
    }

    @Test
    void aPortedDatabaseServesTheSameAccountsRoomsAndHistory() throws Exception {
        Cli cli = cli();
        Path config = dir.resolve("homeserver.yaml");
        assertThat(cli.run(
                        "generate-config",
                        "--server-name",
                        "port.test",
                        "--config-path",
                        config.toString(),
                        "--data-dir",
                        dir.resolve("data").toString(),
                        "--port",
                        "0",
                        "--enable-registration"))
                .isZero();
        assertThat(cli.run("run", "--config", config.toString())).as(stderr()).isEqualTo(Cli.KEEP_RUNNING);
        String base = "http://127.0.0.1:" + server.get().port();
        JsonNode account = post(base, "/_matrix/client/v3/register", null, """
                {"username": "alice", "password": "pw-alice-1", "auth": {"type": "m.login.dummy"}}""");
        String token = account.get("access_token").asText();
        String roomId = post(base, "/_matrix/client/v3/createRoom", token, "{\"name\": \"ported\"}")
                .get("room_id")
                .asText();
        List<String> sent = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            sent.add(
                    put(base, "/_matrix/client/v3/rooms/" + roomId + "/send/m.room.message/t" + i, token, """
                            {"msgtype": "m.text", "body": "message %d"}""".formatted(
                                            i))
                            .get("event_id")
                            .asText());
        }
        stop.get().run();
        stop.set(null);

        DatabaseConfig postgres = TestDatabases.emptyConfig(TestDatabases.Kind.POSTGRES);
        Path postgresConfig = dir.resolve("homeserver-postgres.yaml");
        Files.writeString(
                postgresConfig,
                Files.readString(config).replaceAll("(?m)^database:\\n(?: .*\\n)*", "")
                        + "\ndatabase:\n  name: jdbc\n  args:\n    url: \"" + postgres.jdbcUrl() + "\"\n");
        String sqlite = dir.resolve("data/homeserver.db").toString();
        assertThat(cli.run("port-db", "--sqlite-database", sqlite, "--postgres-config", postgresConfig.toString()))
                .as(stderr())
                .isZero();
        assertThat(stdout()).contains("row counts verified");
        assertThat(stderr()).contains("events").contains("rows/s");

        // again: everything was copied, so it only verifies
        assertThat(cli.run("port-db", "--sqlite-database", sqlite, "--postgres-config", postgresConfig.toString()))
                .as(stderr())
                .isZero();
        assertThat(stdout()).contains("from an earlier run");

        assertThat(cli.run("run", "--config", postgresConfig.toString()))
                .as(stderr())
                .isEqualTo(Cli.KEEP_RUNNING);
        String ported = "http://127.0.0.1:" + server.get().port();
        assertThat(get(ported, "/_matrix/client/v3/account/whoami", token)
                        .get("user_id")
                        .asText())
                .isEqualTo("@alice:port.test");
        JsonNode messages = get(ported, "/_matrix/client/v3/rooms/" + roomId + "/messages?dir=b&limit=8", token);
        List<String> back = new ArrayList<>();
        messages.get("chunk").forEach(e -> back.add(e.get("event_id").asText()));
        assertThat(back).containsExactlyElementsOf(sent.reversed());

        String after = put(ported, "/_matrix/client/v3/rooms/" + roomId + "/send/m.room.message/after", token, """
                        {"msgtype": "m.text", "body": "after the port"}""")
                .get("event_id")
                .asText();
        JsonNode sync = get(ported, "/_matrix/client/v3/sync", token);
        JsonNode timeline = sync.at("/rooms/join/" + roomId.replace("/", "~1") + "/timeline/events");
        assertThat(timeline.get(timeline.size() - 1).get("event_id").asText()).isEqualTo(after);
        JsonNode login = post(ported, "/_matrix/client/v3/login", null, """
                {"type": "m.login.password", "identifier": {"type": "m.id.user", "user": "alice"},
                 "password": "pw-alice-1"}""");
        assertThat(login.get("user_id").asText()).isEqualTo("@alice:port.test");
    }

    @Test
    void refusesAnSqliteTargetAndAMissingFile() throws Exception {
        Cli cli = cli();
        Path config = dir.resolve("homeserver.yaml");
        assertThat(cli.run(
                        "generate-config",
                        "--server-name",
                        "port.test",
                        "--config-path",
                        config.toString(),
                        "--data-dir",
                        dir.resolve("data").toString()))
                .isZero();
        assertThat(cli.run("port-db", "--sqlite-database", "nowhere.db", "--postgres-config", config.toString()))
                .isEqualTo(Cli.FAILURE);
        assertThat(stderr()).contains("no SQLite database at");
        Files.createDirectories(dir.resolve("data"));
        Files.writeString(dir.resolve("data/homeserver.db"), "");
        assertThat(cli.run(
                        "port-db", "--sqlite-database", "data/homeserver.db", "--postgres-config", config.toString()))
                .isEqualTo(Cli.BAD_CONFIG);
        assertThat(stderr()).contains("port-db needs a PostgreSQL database");
        assertThat(cli.run("port-db", "--sqlite-database", "data/homeserver.db"))
                .isEqualTo(Cli.USAGE);
    }

    private JsonNode get(String base, String path, String token) throws Exception {
        return send(HttpRequest.newBuilder(URI.create(base + path))
                .header("Authorization", "Bearer " + token)
                .GET());
    }

    private JsonNode post(String base, String path, String token, String body) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base + path))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body));
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        return send(request);
    }

    private JsonNode put(String base, String path, String token, String body) throws Exception {
        return send(HttpRequest.newBuilder(URI.create(base + path))
                .header("Content-Type", "application/json")
                .header("Authorization", "Bearer " + token)
                .PUT(HttpRequest.BodyPublishers.ofString(body)));
    }

    private JsonNode send(HttpRequest.Builder request) throws Exception {
        HttpResponse<String> response =
                http.send(request.timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return JSON.readTree(response.body());
    }

    private String stdout() {
        return out.toString(StandardCharsets.UTF_8);
    }

    private String stderr() {
        return err.toString(StandardCharsets.UTF_8);
    }
}
