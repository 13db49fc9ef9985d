package dev.myelin.server.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.myelin.server.Homeserver;
import dev.myelin.server.config.ConfigLoader;
import dev.myelin.server.config.HomeserverConfig;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The homeserver process as an admin uses it: generate a config, run it, talk to it over a real
 * loopback socket, create an account with {@code register-user}, log in, stop it.
 */
class HomeserverProcessTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();
    private final AtomicReference<Homeserver> server = new AtomicReference<>();
    private final AtomicReference<Runnable> stop = new AtomicReference<>();
    private final HttpClient http =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @TempDir
    Path dir;

    private Cli cli(Path workingDirectory) {
        return new Cli(
                new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8),
                (started, stopAction) -> {
                    server.set(started);
                    stop.set(stopAction);
                },
                workingDirectory,
                http);
    }

    @AfterEach
    void stopServer() {
        if (stop.get() != null) {
            stop.get().run();
        }
    }

    @Test
    void generatesRunsRegistersAUserAndStops() throws Exception {
        Cli cli = cli(dir);
        Path config = dir.resolve("homeserver.yaml");
        assertThat(cli.run(
                        "generate-config",
                        "--server-name",
                        "example.test",
                        "--config-path",
                        config.toString(),
                        "--data-dir",
                        dir.resolve("data").toString(),
                        "--port",
                        "0"))
                .isZero();

        assertThat(cli.run("run", "--config", config.toString())).as(stderr()).isEqualTo(Cli.KEEP_RUNNING);
        int port = server.get().port();
        assertThat(port).isPositive();
        String base = "http://127.0.0.1:" + port;
        HttpResponse<String> versions = get(base + "/_matrix/client/versions");
        assertThat(versions.statusCode()).isEqualTo(200);
        assertThat(JSON.readTree(versions.body()).get("versions").toString()).contains("v1.1");

        // register-user finds the server through the config's first listener, so it needs the real port.
        Path clientConfig = dir.resolve("client.yaml");
        Files.writeString(clientConfig, Files.readString(config).replace("- port: 0", "- port: " + port));
        assertThat(cli.run(
                        "register-user",
                        "--config",
                        clientConfig.toString(),
                        "--user",
                        "alice",
                        "--password",
                        "s3cret",
                        "--admin"))
                .as(stderr())
                .isZero();
        assertThat(stdout()).contains("created @alice:example.test (server admin)");

        HttpResponse<String> login = post(base + "/_matrix/client/v3/login", """
                {"type": "m.login.password", "identifier": {"type": "m.id.user", "user": "alice"}, "password": "s3cret"}
                """);
        assertThat(login.statusCode()).as(login.body()).isEqualTo(200);
        JsonNode body = JSON.readTree(login.body());
        assertThat(body.get("user_id").asText()).isEqualTo("@alice:example.test");
        assertThat(body.get("access_token").asText()).isNotEmpty();

        assertThat(cli.run(
                        "register-user", "--config", clientConfig.toString(), "--user", "alice", "--password", "again"))
                .isEqualTo(Cli.FAILURE);
        assertThat(stderr()).contains("M_USER_IN_USE");

        stop.get().run();
        assertThat(cli.run("register-user", "--config", clientConfig.toString(), "--user", "bob", "--password", "pw"))
                .isEqualTo(Cli.FAILURE);
        assertThat(stderr()).contains("cannot reach the homeserver at http://127.0.0.1:" + port);
    }

    @Test
    void runsAndRegistersWithASecondConfigFileOverTheFirst() throws Exception {
        Cli cli = cli(dir);
        Path config = dir.resolve("homeserver.yaml");
        assertThat(cli.run(
                        "generate-config",
                        "--server-name",
                        "example.test",
                        "--config-path",
                        config.toString(),
                        "--data-dir",
                        dir.resolve("data").toString(),
                        "--port",
                        "1"))
                .isZero();
        // the second file's listeners replace the generated port-1 listener whole
        Path local = dir.resolve("local/listen.yaml");
        Files.createDirectories(local.getParent());
        Files.writeString(local, "listeners: [{port: 0, bind_addresses: ['127.0.0.1']}]\nenable_registration: true\n");
        assertThat(cli.run("run", "-c", config.toString(), "-c", local.toString()))
                .as(stderr())
                .isEqualTo(Cli.KEEP_RUNNING);
        assertThat(server.get().config().enableRegistration()).isTrue();
        assertThat(server.get().config().listeners())
                .singleElement()
                .satisfies(l -> assertThat(l.port()).isZero());
        int port = server.get().port();
        assertThat(get("http://127.0.0.1:" + port + "/_matrix/client/versions").statusCode())
                .isEqualTo(200);

        Path client = dir.resolve("client.yaml");
        Files.writeString(client, "listeners: [{port: " + port + ", bind_addresses: ['127.0.0.1']}]\n");
        assertThat(cli.run(
                        "register-user",
                        "--config",
                        config.toString(),
                        "--config",
                        client.toString(),
                        "--user",
                        "carol",
                        "--password",
                        "pw"))
                .as(stderr())
                .isZero();
        assertThat(stdout()).contains("created @carol:example.test");
    }

    @Test
    void registerUserNeedsTheSharedSecret() throws Exception {
        Path config = dir.resolve("homeserver.yaml");
        Cli cli = cli(dir);
        cli.run(
                "generate-config",
                "--server-name",
                "example.test",
                "--config-path",
                config.toString(),
                "--data-dir",
                dir.toString(),
                "--port",
                "0");
        Files.writeString(config, Files.readString(config).replaceAll("(?m)^registration_shared_secret:.*$", ""));
        assertThat(cli.run("register-user", "--config", config.toString(), "--user", "bob", "--password", "pw"))
                .isEqualTo(Cli.BAD_CONFIG);
        assertThat(stderr()).contains("registration_shared_secret");
        assertThat(cli.run("register-user", "--config", config.toString(), "--user", "bob"))
                .isEqualTo(Cli.USAGE);
        assertThat(stderr()).contains("--password is required");
    }

    @Test
    void startFailuresAreExplained() throws Exception {
        Path config = dir.resolve("homeserver.yaml");
        Cli cli = cli(dir);
        cli.run(
                "generate-config",
                "--server-name",
                "example.test",
                "--config-path",
                config.toString(),
                "--data-dir",
                dir.toString(),
                "--port",
                "0");
        String text = Files.readString(config);
        HomeserverConfig loaded = new ConfigLoader().load(config);
        Files.delete(loaded.signingKeyPath());
        assertThat(cli.run("--config", config.toString())).isEqualTo(Cli.FAILURE);
        assertThat(stderr()).contains("signing key file").contains("does not exist");

        Files.writeString(config, text.replace("name: sqlite3", "name: oracle"));
        assertThat(cli.run("--config", config.toString())).isEqualTo(Cli.BAD_CONFIG);
        assertThat(stderr()).contains("unknown database engine 'oracle'");
        assertThat(server.get()).isNull();
    }

    @Test
    void withoutArgumentsGeneratesTheDefaultConfigAndRunsIt() throws Exception {
        int code = cli(dir).run();
        Path config = dir.resolve("data/homeserver.yaml");
        assertThat(config).exists();
        HomeserverConfig loaded = new ConfigLoader().load(config);
        assertThat(loaded.serverName()).isEqualTo("localhost");
        assertThat(loaded.listeners().getFirst().port()).isEqualTo(8008);
        assertThat(loaded.listeners().getFirst().bindAddresses()).containsExactly("127.0.0.1");
        assertThat(loaded.enableRegistration()).isTrue();
        assertThat(loaded.enableRegistrationWithoutVerification()).isTrue();
        // Port 8008 may be taken on a shared machine; then the failure must say so and nothing runs.
        if (code == Cli.KEEP_RUNNING) {
            assertThat(server.get().port()).isEqualTo(8008);
        } else {
            assertThat(code).isEqualTo(Cli.FAILURE);
            assertThat(stderr()).contains("cannot start listening on 127.0.0.1:8008");
        }
    }

    @Test
    void withoutArgumentsRunsAnExistingDefaultConfig() throws Exception {
        Cli cli = cli(dir);
        Path config = dir.resolve("data/homeserver.yaml");
        cli.run(
                "generate-config",
                "--server-name",
                "existing.test",
                "--config-path",
                config.toString(),
                "--data-dir",
                dir.resolve("data").toString(),
                "--port",
                "0");
        String before = Files.readString(config);
        assertThat(cli.run()).as(stderr()).isEqualTo(Cli.KEEP_RUNNING);
        assertThat(Files.readString(config)).isEqualTo(before);
        assertThat(server.get().config().serverName()).isEqualTo("existing.test");
        assertThat(get("http://127.0.0.1:" + server.get().port() + "/_matrix/client/versions")
                        .statusCode())
                .isEqualTo(200);
    }

    private HttpResponse<String> get(String url) throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(URI.create(url)).GET().build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> post(String url, String body) throws IOException, InterruptedException {
        return http.send(
                HttpRequest.newBuilder(URI.create(url))
                        .header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString(body))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private String stdout() {
        return out.toString(StandardCharsets.UTF_8);
    }

    private String stderr() {
        return err.toString(StandardCharsets.UTF_8);
    }
}
