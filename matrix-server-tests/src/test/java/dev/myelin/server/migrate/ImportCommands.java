package dev.myelin.server.migrate;

import dev.myelin.server.cli.Cli;
import dev.myelin.storage.DatabaseConfig;
import dev.myelin.storage.testing.TestDatabases;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/** Runs the jar's command line in-process for the import tests. */
final class ImportCommands {
    private ImportCommands() {}

    /** What a command printed and returned. */
    record Result(int code, String out, String err) {}

    static Result run(List<String> args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = new Cli(
                        new PrintStream(out, true, StandardCharsets.UTF_8),
                        new PrintStream(err, true, StandardCharsets.UTF_8))
                .run(args.toArray(String[]::new));
        return new Result(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    /**
     * A generated Myelin config in {@code dir} (port 0 on 127.0.0.1), plus, when the tests run on
     * PostgreSQL, a second file naming a fresh PostgreSQL database as Synapse admins would write it.
     */
    static List<String> myelinConfig(Path dir, String serverName) {
        return myelinConfig(
                dir,
                serverName,
                TestDatabases.Kind.valueOf(
                        System.getProperty("myelin.test.database", "sqlite").toUpperCase(java.util.Locale.ROOT)));
    }

    static List<String> myelinConfig(Path dir, String serverName, TestDatabases.Kind kind) {
        Path config = dir.resolve("homeserver.yaml");
        Result generated = run(List.of(
                "generate-config",
                "--server-name",
                serverName,
                "--config-path",
                config.toString(),
                "--data-dir",
                dir.toString(),
                "--port",
                "0"));
        if (generated.code() != 0) {
            throw new IllegalStateException(generated.err());
        }
        List<String> files = new ArrayList<>(List.of(config.toString()));
        try {
            Files.writeString(
                    dir.resolve("test.yaml"),
                    "trusted_key_servers: []\nrc_login:\n  address: {per_second: 100, burst_count: 100}\n"
                            + "  account: {per_second: 100, burst_count: 100}\n"
                            + "  failed_attempts: {per_second: 100, burst_count: 100}\n");
            files.add(dir.resolve("test.yaml").toString());
            if (kind == TestDatabases.Kind.POSTGRES) {
                DatabaseConfig pg = TestDatabases.emptyConfig(TestDatabases.Kind.POSTGRES);
                URI url = URI.create(pg.jdbcUrl().substring("jdbc:".length()));
                Path db = dir.resolve("postgres.yaml");
                Map<String, String> query = new HashMap<>();
                if (url.getQuery() != null) {
                    for (String pair : url.getQuery().split("&")) {
                        String[] kv = pair.split("=", 2);
                        query.put(kv[0], kv.length > 1 ? kv[1] : "");
                    }
                }
                pg.user().ifPresent(u -> query.put("user", u));
                pg.password().ifPresent(p -> query.put("password", p));
                StringBuilder yaml = new StringBuilder("database:\n  name: psycopg2\n  args:\n");
                yaml.append("    host: ").append(url.getHost()).append('\n');
                yaml.append("    port: ").append(url.getPort()).append('\n');
                yaml.append("    database: ").append(url.getPath().substring(1)).append('\n');
                query.forEach((k, v) ->
                        yaml.append("    ").append(k).append(": ").append(v).append('\n'));
                Files.writeString(db, yaml.toString());
                files.add(db.toString());
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return files;
    }

    static List<String> importArgs(SynapseFixture fixture, List<String> myelinConfig, boolean dryRun) {
        List<String> args = new ArrayList<>(
                List.of("import-synapse", "--synapse-config", fixture.config().toString()));
        myelinConfig.forEach(c -> args.addAll(List.of("--config", c)));
        if (dryRun) {
            args.add("--dry-run");
        }
        return args;
    }

    static void deleteTree(Path dir) {
        if (dir == null || !Files.exists(dir)) {
            return;
        }
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
