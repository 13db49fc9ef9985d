package dev.myelin.storage;

import static org.assertj.core.api.Assertions.assertThat;

import dev.myelin.storage.testing.TestDatabases;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class DatabaseSmokeTest {
    @ParameterizedTest
    @EnumSource(TestDatabases.Kind.class)
    void opensAFreshMigratedDatabase(TestDatabases.Kind kind) {
        try (Database db = TestDatabases.fresh(kind)) {
            int one = db.read(tx -> tx.dsl().selectOne().fetchOne(0, Integer.class));
            assertThat(one).isEqualTo(1);
        }
    }
}
