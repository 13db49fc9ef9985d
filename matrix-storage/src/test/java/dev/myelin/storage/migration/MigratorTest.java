package dev.myelin.storage.migration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.jooq.impl.DSL.field;
import static org.jooq.impl.DSL.name;
import static org.jooq.impl.DSL.table;

import dev.myelin.storage.Database;
import dev.myelin.storage.DatabaseConfig;
import dev.myelin.storage.StorageException;
import dev.myelin.storage.testing.TestDatabases;
import dev.myelin.storage.testing.TestDatabases.Kind;
import java.io.IOException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import org.jooq.impl.SQLDataType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class MigratorTest {
    private static List<String> widgetNames(Database db) {
        return db.read(tx -> tx.dsl()
                .select(field(name("name"), SQLDataType.VARCHAR))
                .from(table(name("widgets")))
                .orderBy(field(name("id")))
                .fetch(r -> r.value1()));
    }

    @ParameterizedTest
    @EnumSource(Kind.class)
    void appliesEachMigrationOnceWithDialectOverrides(Kind kind) {
        DatabaseConfig config = TestDatabases.emptyConfig(kind);
        try (Database db = Database.openWithoutMigrating(config)) {
            Migrator migrator = new Migrator(db, "db/test-migrations");
            assertThat(migrator.currentVersion()).isZero();
            assertThat(migrator.migrate()).isEqualTo(2);
            assertThat(migrator.currentVersion()).isEqualTo(2);
            assertThat(migrator.migrate()).as("already applied").isZero();
            assertThat(widgetNames(db))
                    .containsExactly(
                            "generic; with a semicolon inside", kind == Kind.POSTGRES ? "postgres" : "generic");
        }
    }

    @ParameterizedTest
    @EnumSource(Kind.class)
    void aFailingMigrationLeavesTheDatabaseAtThePreviousVersion(Kind kind) {
        DatabaseConfig config = TestDatabases.emptyConfig(kind);
        try (Database db = Database.openWithoutMigrating(config)) {
            Migrator migrator = new Migrator(db, "db/newer-migrations");
            assertThatThrownBy(migrator::migrate).hasMessageContaining("no_such_table");
            assertThat(migrator.currentVersion()).isEqualTo(2);
            assertThat(widgetNames(db))
                    .as("the failed migration's first statement was rolled back")
                    .hasSize(2);
        }
    }

    @ParameterizedTest
    @EnumSource(Kind.class)
    void refusesADatabaseNewerThanTheCode(Kind kind) {
        DatabaseConfig config = TestDatabases.emptyConfig(kind);
        try (Database db = Database.openWithoutMigrating(config)) {
            new Migrator(db, "db/test-migrations").migrate();
            db.update(tx -> tx.dsl()
                    .insertInto(table(name("schema_version")), field(name("version")), field(name("name")))
                    .values(7, "0007_future")
                    .execute());
            assertThatThrownBy(() -> new Migrator(db, "db/test-migrations").migrate())
                    .isInstanceOf(SchemaTooNewException.class)
                    .hasMessageContaining("at version 7")
                    .hasMessageContaining("up to 2")
                    .hasMessageContaining("refusing to start");
        }
    }

    @ParameterizedTest
    @EnumSource(Kind.class)
    void theRealSchemaMigratesFromEmpty(Kind kind) {
        DatabaseConfig config = TestDatabases.emptyConfig(kind);
        try (Database db = Database.open(config)) {
            Migrator migrator = new Migrator(db);
            assertThat(migrator.currentVersion())
                    .isEqualTo(migrator.migrations().getLast().version());
        }
        try (Database again = Database.open(config)) {
            assertThat(new Migrator(again).migrate()).isZero();
        }
    }

    @Test
    void splitsScriptsIntoStatements() {
        assertThat(Migrator.statements("""
                -- comment; not a statement
                CREATE TABLE a (x INT); -- trailing
                INSERT INTO a VALUES (1);
                SELECT 1
                """))
                .containsExactly("CREATE TABLE a (x INT)", "INSERT INTO a VALUES (1)", "SELECT 1");
    }

    @ParameterizedTest
    @EnumSource(Kind.class)
    void refusesTwoMigrationsWithOneNumber(Kind kind) {
        try (Database db = Database.openWithoutMigrating(TestDatabases.emptyConfig(kind))) {
            assertThatThrownBy(() -> new Migrator(db, "db/clashing-migrations").migrate())
                    .isInstanceOf(StorageException.class)
                    .hasMessageContaining("two migrations are numbered 1")
                    .hasMessageContaining("0001_first and 0001_second");
            assertThat(new Migrator(db, "db/clashing-migrations").currentVersion())
                    .isZero();
        }
    }

    @ParameterizedTest
    @EnumSource(Kind.class)
    void findsTheMigrationsInAJarByListingIt(Kind kind, @TempDir Path dir) throws IOException {
        Path jar = dir.resolve("migrations.jar");
        try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(jar))) {
            for (String name : List.of(
                    "db/jarred/",
                    "db/jarred/0010_later.sql",
                    "db/jarred/0002_first.sql",
                    "db/jarred/0002_first.postgres.sql",
                    "db/jarred/README.txt",
                    "db/jarred/nested/0001_no.sql")) {
                out.putNextEntry(new JarEntry(name));
                if (!name.endsWith("/")) {
                    out.write(("SELECT 1 -- " + name).getBytes(StandardCharsets.UTF_8));
                }
                out.closeEntry();
            }
        }
        Thread thread = Thread.currentThread();
        ClassLoader previous = thread.getContextClassLoader();
        try (Database db = Database.openWithoutMigrating(TestDatabases.emptyConfig(kind));
                URLClassLoader loader =
                        new URLClassLoader(new URL[] {jar.toUri().toURL()}, previous)) {
            thread.setContextClassLoader(loader);
            List<Migration> migrations = new Migrator(db, "db/jarred").migrations();
            assertThat(migrations).extracting(Migration::version).containsExactly(2, 10);
            assertThat(migrations).extracting(Migration::name).containsExactly("0002_first", "0010_later");
            assertThat(migrations.getFirst().source())
                    .isEqualTo(
                            kind == Kind.POSTGRES ? "db/jarred/0002_first.postgres.sql" : "db/jarred/0002_first.sql");
            assertThat(migrations.getFirst().sql())
                    .isEqualTo("SELECT 1 -- " + migrations.getFirst().source());
        } finally {
            thread.setContextClassLoader(previous);
        }
    }
}
