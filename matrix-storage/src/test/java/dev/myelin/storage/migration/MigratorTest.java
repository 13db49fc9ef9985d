package dev.myelin.storage.migration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.jooq.impl.DSL.field;
import static org.jooq.impl.DSL.name;
import static org.jooq.impl.DSL.table;

import dev.myelin.storage.Database;
import dev.myelin.storage.DatabaseConfig;
import dev.myelin.storage.testing.TestDatabases;
import dev.myelin.storage.testing.TestDatabases.Kind;
import java.util.List;
import org.jooq.impl.SQLDataType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class MigratorTest {
    private static List<String> widgetNames(Database db) {
        return db.read(tx -> tx.dsl().select(field(name("name"), SQLDataType.VARCHAR)).from(table(name("widgets")))
                .orderBy(field(name("id"))).fetch(r -> r.value1()));
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
            assertThat(widgetNames(db)).containsExactly("generic; with a semicolon inside",
                    kind == Kind.POSTGRES ? "postgres" : "generic");
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
            assertThat(widgetNames(db)).as("the failed migration's first statement was rolled back").hasSize(2);
        }
    }

    @ParameterizedTest
    @EnumSource(Kind.class)
    void refusesADatabaseNewerThanTheCode(Kind kind) {
        DatabaseConfig config = TestDatabases.emptyConfig(kind);
        try (Database db = Database.openWithoutMigrating(config)) {
            new Migrator(db, "db/test-migrations").migrate();
            db.update(tx -> tx.dsl().insertInto(table(name("schema_version")),
                    field(name("version")), field(name("name"))).values(7, "0007_future").execute());
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
            assertThat(migrator.currentVersion()).isEqualTo(migrator.migrations().getLast().version());
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
                """)).containsExactly("CREATE TABLE a (x INT)", "INSERT INTO a VALUES (1)", "SELECT 1");
    }
}
