package dev.myelin.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class DatabaseConfigTest {
    @Test
    void parsesSqlite() {
        DatabaseConfig c = DatabaseConfig.parse(Map.of("name", "sqlite3", "args", Map.of("database", "data/hs.db")));
        assertThat(c.engine()).isEqualTo(DatabaseConfig.Engine.SQLITE);
        assertThat(c.sqliteFile()).contains(Path.of("data/hs.db").toAbsolutePath());
    }

    @Test
    void parsesPostgresWithSynapseKeys() {
        DatabaseConfig c = DatabaseConfig.parse(Map.of(
                "name",
                "psycopg2",
                "args",
                Map.of(
                        "user",
                        "syn",
                        "password",
                        "pw",
                        "database",
                        "myelin",
                        "host",
                        "db.local",
                        "port",
                        5433,
                        "cp_min",
                        2,
                        "cp_max",
                        7)));
        assertThat(c)
                .isEqualTo(new DatabaseConfig(
                        DatabaseConfig.Engine.POSTGRES,
                        "jdbc:postgresql://db.local:5433/myelin",
                        Optional.of("syn"),
                        Optional.of("pw"),
                        2,
                        7));
        assertThat(DatabaseConfig.parse(Map.of("name", "postgres", "args", Map.of("database", "m")))
                        .jdbcUrl())
                .isEqualTo("jdbc:postgresql://localhost:5432/m");
    }

    @Test
    void parsesJdbcUrls() {
        DatabaseConfig c = DatabaseConfig.parse(
                Map.of("name", "jdbc", "args", Map.of("url", "jdbc:postgresql://h/db", "user", "u")));
        assertThat(c.engine()).isEqualTo(DatabaseConfig.Engine.POSTGRES);
        assertThat(c.user()).contains("u");
        assertThat(DatabaseConfig.fromJdbcUrl("jdbc:sqlite:/tmp/x.db", null, null)
                        .engine())
                .isEqualTo(DatabaseConfig.Engine.SQLITE);
    }

    @Test
    void errorsNameTheKey() {
        assertThatThrownBy(() -> DatabaseConfig.parse(Map.of("args", Map.of())))
                .hasMessageStartingWith("database.name: missing");
        assertThatThrownBy(() -> DatabaseConfig.parse(Map.of("name", "mysql", "args", Map.of())))
                .hasMessageStartingWith("database.name: unknown database engine 'mysql'");
        assertThatThrownBy(() -> DatabaseConfig.parse(Map.of("name", "sqlite3")))
                .hasMessageStartingWith("database.args: missing");
        assertThatThrownBy(() -> DatabaseConfig.parse(Map.of("name", "sqlite3", "args", Map.of())))
                .hasMessageStartingWith("database.args.database: missing");
        assertThatThrownBy(() ->
                        DatabaseConfig.parse(Map.of("name", "psycopg2", "args", Map.of("database", "d", "port", "x"))))
                .hasMessage("database.args.port: expected a number between 1 and 65535, got \"x\"");
        assertThatThrownBy(() -> DatabaseConfig.parse(
                        Map.of("name", "psycopg2", "args", Map.of("database", "d", "cp_min", 9, "cp_max", 3))))
                .hasMessageStartingWith("database.args.cp_min: 9 is larger than database.args.cp_max: 3");
        assertThatThrownBy(() -> DatabaseConfig.parse(Map.of("name", "jdbc", "args", Map.of("url", "jdbc:h2:mem"))))
                .hasMessageStartingWith("database.args.url: database url must start with");
        assertThatThrownBy(
                        () -> DatabaseConfig.parse(Map.of("name", "sqlite3", "args", Map.of("database", ":memory:"))))
                .hasMessageStartingWith("database.args.database:");
    }

    @Test
    void sqliteRetryableErrorsAreRecognised() {
        assertThat(Database.isRetryable(new java.sql.SQLException("x", "40001")))
                .isTrue();
        assertThat(Database.isRetryable(new RuntimeException(new java.sql.SQLException("x", "40P01"))))
                .isTrue();
        assertThat(Database.isRetryable(new java.sql.SQLException("x", "23505")))
                .isFalse();
        assertThat(Database.isRetryable(new org.sqlite.SQLiteException("busy", org.sqlite.SQLiteErrorCode.SQLITE_BUSY)))
                .isTrue();
    }
}
