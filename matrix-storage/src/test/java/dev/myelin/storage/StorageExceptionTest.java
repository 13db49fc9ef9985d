package dev.myelin.storage;

import static dev.myelin.storage.schema.Tables.ROOM_STATS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.myelin.core.id.RoomId;
import dev.myelin.core.id.ServerName;
import dev.myelin.storage.room.RoomStore;
import dev.myelin.storage.testing.TestDatabases;
import dev.myelin.storage.testing.TestDatabases.Kind;
import org.jooq.exception.DataAccessException;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** What callers of matrix-storage see when the database refuses: only StorageException, never jOOQ's. */
class StorageExceptionTest {
    @ParameterizedTest
    @EnumSource(Kind.class)
    void aConstraintViolationSurfacesAsConstraintViolationException(Kind kind) {
        try (Database db = TestDatabases.fresh(kind)) {
            db.update(tx -> tx.dsl()
                    .insertInto(ROOM_STATS)
                    .set(ROOM_STATS.ROOM_ID, "!a:example.org")
                    .set(ROOM_STATS.JOINED_MEMBERS, 1L)
                    .execute());

            assertThatThrownBy(() -> db.update(tx -> tx.dsl()
                            .insertInto(ROOM_STATS)
                            .set(ROOM_STATS.ROOM_ID, "!a:example.org")
                            .set(ROOM_STATS.JOINED_MEMBERS, 2L)
                            .execute()))
                    .isInstanceOf(ConstraintViolationException.class)
                    .hasCauseInstanceOf(DataAccessException.class);
            // the failed transaction left the first row alone
            long joined = db.read(tx ->
                    tx.dsl().select(ROOM_STATS.JOINED_MEMBERS).from(ROOM_STATS).fetchSingle(ROOM_STATS.JOINED_MEMBERS));
            assertThat(joined).isEqualTo(1L);
        }
    }

    @ParameterizedTest
    @EnumSource(Kind.class)
    void invalidSqlSurfacesAsStorageException(Kind kind) {
        try (Database db = TestDatabases.fresh(kind)) {
            assertThatThrownBy(() -> db.read(tx -> tx.dsl().fetch("SELECT * FROM no_such_table")))
                    .isExactlyInstanceOf(StorageException.class)
                    .hasCauseInstanceOf(DataAccessException.class);
        }
    }

    @ParameterizedTest
    @EnumSource(Kind.class)
    void aStoreOnAClosedDatabaseThrowsStorageException(Kind kind) {
        Database db = TestDatabases.fresh(kind);
        RoomStore rooms = new RoomStore(db);
        db.close();

        assertThatThrownBy(() -> rooms.get(RoomId.of("gone", ServerName.parse("example.org"))))
                .isInstanceOf(StorageException.class);
        assertThatThrownBy(() -> db.update(tx -> tx.dsl().selectOne().execute()))
                .isInstanceOf(StorageException.class);
    }

    @ParameterizedTest
    @EnumSource(Kind.class)
    void anExceptionOfTheTransactionBodyPassesThroughUnchanged(Kind kind) {
        try (Database db = TestDatabases.fresh(kind)) {
            IllegalStateException own = new IllegalStateException("the caller's own");
            assertThatThrownBy(() -> db.update(tx -> {
                        throw own;
                    }))
                    .isSameAs(own);
        }
    }
}
