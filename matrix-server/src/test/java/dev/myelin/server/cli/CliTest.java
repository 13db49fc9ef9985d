package dev.myelin.server.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.myelin.core.crypto.SigningKeyFile;
import dev.myelin.server.config.ConfigLoader;
import dev.myelin.server.config.HomeserverConfig;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CliTest {
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();
    private final Cli cli = new Cli(
            new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));

    @TempDir
    Path dir;

    private String stderr() {
        return err.toString(StandardCharsets.UTF_8);
    }

    @Test
    void generatedConfigLoadsWithoutWarningsAndHasAKey() {
        Path config = dir.resolve("conf/homeserver.yaml");
        int code = cli.run(
                "generate-config",
                "--server-name",
                "example.test",
                "--config-path",
                config.toString(),
                "--data-dir",
                dir.resolve("data").toString(),
                "--port",
                "0",
                "--enable-registration");
        assertThat(code).isZero();
        List<String> warnings = new ArrayList<>();
        HomeserverConfig loaded = new ConfigLoader(warnings::add).load(config);
        assertThat(warnings).isEmpty();
        assertThat(loaded.serverName()).isEqualTo("example.test");
        assertThat(loaded.enableRegistration()).isTrue();
        assertThat(loaded.listeners().get(0).port()).isZero();
        assertThat(loaded.registrationSharedSecret())
                .hasValueSatisfying(s -> assertThat(s).hasSize(64));
        assertThat(SigningKeyFile.read(loaded.signingKeyPath())).hasSize(1);
        assertThat(loaded.database()).containsEntry("name", "sqlite3");
    }

    @Test
    void registrationIsClosedUnlessAskedFor() {
        Path config = dir.resolve("homeserver.yaml");
        cli.run(
                "generate-config",
                "--server-name",
                "example.test",
                "--config-path",
                config.toString(),
                "--data-dir",
                dir.toString());
        assertThat(new ConfigLoader().load(config).enableRegistration()).isFalse();
    }

    @Test
    void neverOverwritesAConfig() throws Exception {
        Path config = dir.resolve("homeserver.yaml");
        Files.writeString(config, "server_name: keep.me\n");
        int code = cli.run(
                "generate-config",
                "--server-name",
                "example.test",
                "--config-path",
                config.toString(),
                "--data-dir",
                dir.toString());
        assertThat(code).isEqualTo(Cli.USAGE);
        assertThat(stderr()).contains("already exists");
        assertThat(Files.readString(config)).isEqualTo("server_name: keep.me\n");
    }

    @Test
    void explainsMissingAndUnknownArguments() {
        assertThat(cli.run("generate-config", "--server-name", "x")).isEqualTo(Cli.USAGE);
        assertThat(stderr()).contains("--config-path is required");
        assertThat(cli.run("generate-config", "--frob")).isEqualTo(Cli.USAGE);
        assertThat(stderr()).contains("unknown argument '--frob'");
        assertThat(cli.run("frobnicate")).isEqualTo(Cli.USAGE);
        assertThat(stderr()).contains("unknown command 'frobnicate'");
    }

    @Test
    void namesTheFileOfAMissingOrInvalidConfig() throws Exception {
        assertThat(cli.run("--config", dir.resolve("none.yaml").toString())).isEqualTo(Cli.BAD_CONFIG);
        assertThat(stderr()).contains("none.yaml: config file does not exist");
        Path bad = dir.resolve("bad.yaml");
        Files.writeString(bad, "server_name: ok\nenable_registration: maybe\n");
        assertThat(cli.run("run", "--config", bad.toString())).isEqualTo(Cli.BAD_CONFIG);
        assertThat(stderr()).contains("bad.yaml: 'enable_registration' must be true or false");
    }

    @Test
    void readsRepeatedConfigFilesInOrderAndNamesTheOneThatIsWrong() throws Exception {
        Path shared = dir.resolve("homeserver.yaml");
        Files.writeString(shared, "server_name: example.org\n");
        Path worker = dir.resolve("worker1.yaml");
        Files.writeString(worker, "enable_registration: maybe\n");
        assertThat(cli.run("run", "--config", shared.toString(), "-c", worker.toString()))
                .isEqualTo(Cli.BAD_CONFIG);
        assertThat(stderr()).contains(worker + ": 'enable_registration' must be true or false");
        assertThat(cli.run("-c", shared.toString(), "--config=" + dir.resolve("none.yaml")))
                .isEqualTo(Cli.BAD_CONFIG);
        assertThat(stderr()).contains("none.yaml: config file does not exist");
    }

    @Test
    void aWorkerOnSqliteIsRefusedAtStartUp() throws Exception {
        Path shared = dir.resolve("homeserver.yaml");
        Files.writeString(shared, """
                server_name: example.org
                instance_map: {main: {host: 127.0.0.1, port: 9093}}
                redis: {enabled: true}
                """);
        Path worker = dir.resolve("sync1.yaml");
        Files.writeString(worker, "worker_app: synapse.app.generic_worker\nworker_name: sync1\n");
        assertThat(cli.run("--config", shared.toString(), "--config", worker.toString()))
                .isEqualTo(Cli.BAD_CONFIG);
        assertThat(stderr())
                .contains("invalid configuration: " + shared + ", " + worker
                        + ": workers need PostgreSQL and Redis: this configuration uses sqlite");
    }

    @Test
    void registerUserReadsRepeatedConfigFiles() throws Exception {
        Path shared = dir.resolve("homeserver.yaml");
        Files.writeString(shared, "server_name: example.org\nregistration_shared_secret: s3cret\n");
        Path other = dir.resolve("other.yaml");
        Files.writeString(other, "registration_shared_secret: ''\n");
        assertThat(cli.run(
                        "register-user",
                        "-c",
                        shared.toString(),
                        "--config",
                        other.toString(),
                        "--user",
                        "u",
                        "--password",
                        "p"))
                .isEqualTo(Cli.BAD_CONFIG);
        assertThat(stderr())
                .contains(shared + ", " + other
                        + ": 'registration_shared_secret' is not set, so register-user cannot create accounts");
        assertThat(cli.run("register-user", "--user", "u", "--password", "p")).isEqualTo(Cli.USAGE);
        assertThat(stderr()).contains("register-user: --config is required");
    }

    @Test
    void printsItsVersion() {
        assertThat(cli.run("--version")).isZero();
        assertThat(out.toString(StandardCharsets.UTF_8)).startsWith("Myelin ");
    }
}
