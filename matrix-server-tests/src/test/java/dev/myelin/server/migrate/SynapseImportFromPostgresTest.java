package dev.myelin.server.migrate;

import static org.assertj.core.api.Assertions.assertThat;

import dev.myelin.storage.DatabaseConfig;
import dev.myelin.storage.testing.TestDatabases;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Synapse on PostgreSQL ({@code database: name: psycopg2}): the fixture copied into PostgreSQL with
 * Synapse's PostgreSQL column types imports the same rows, table by table, as from SQLite. Runs with
 * the PostgreSQL tests only.
 */
@Timeout(value = 3, unit = TimeUnit.MINUTES)
class SynapseImportFromPostgresTest {
    @TempDir
    Path dir;

    @Test
    void synapseOnPostgresqlImportsTheSameRowsAsOnSqlite() throws Exception {
        Assumptions.assumeTrue(
                "postgres".equals(System.getProperty("myelin.test.database")), "runs with the PostgreSQL tests");
        SynapseFixture fixture = SynapseFixture.copyInto(dir.resolve("synapse"));
        List<String> sqliteConfig =
                ImportCommands.myelinConfig(dir.resolve("from-sqlite"), "localhost", TestDatabases.Kind.SQLITE);
        ImportCommands.Result fromSqlite = ImportCommands.run(ImportCommands.importArgs(fixture, sqliteConfig, true));
        assertThat(fromSqlite.code()).as(fromSqlite.err()).isZero();

        DatabaseConfig synapseDb = TestDatabases.emptyConfig(TestDatabases.Kind.POSTGRES);
        SynapseOnPostgres.copy(fixture.config().resolveSibling("homeserver.db"), synapseDb.jdbcUrl());
        URI url = URI.create(synapseDb.jdbcUrl().substring("jdbc:".length()));
        String yaml = Files.readString(fixture.config())
                        .replaceAll("(?s)database:\\n  name: sqlite3\\n  args:\\n    database: homeserver.db\\n", "")
                + "database:\n  name: psycopg2\n  args:\n    host: " + url.getHost() + "\n    port: " + url.getPort()
                + "\n    database: " + url.getPath().substring(1) + "\n    user: postgres\n";
        Files.writeString(fixture.config(), yaml);
        List<String> config = ImportCommands.myelinConfig(dir.resolve("myelin"), "localhost");

        ImportCommands.Result fromPostgres = ImportCommands.run(ImportCommands.importArgs(fixture, config, false));

        assertThat(fromPostgres.code()).as(fromPostgres.err()).isZero();
        assertThat(table(fromSqlite.out())).hasSizeGreaterThan(40);
        assertThat(table(fromPostgres.out())).isEqualTo(table(fromSqlite.out()));
    }

    /** The per-table lines of an import's summary, without its header and timings. */
    private static List<String> table(String out) {
        return out.lines()
                .skip(1)
                .filter(l -> l.matches("^[a-z0-9_]+\\s+\\d+\\s+\\d+.*"))
                .toList();
    }
}
