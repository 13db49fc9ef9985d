package dev.myelin.storage.room;

import static org.assertj.core.api.Assertions.assertThat;

import dev.myelin.core.id.RoomId;
import dev.myelin.core.id.ServerName;
import dev.myelin.core.id.UserId;
import dev.myelin.storage.Database;
import dev.myelin.storage.testing.TestDatabases;
import dev.myelin.storage.testing.TestDatabases.Kind;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class ForgottenRoomStoreTest {
    private static final ServerName SERVER = ServerName.parse("example.org");
    private static final UserId ALICE = UserId.of("alice", SERVER);
    private static final UserId BOB = UserId.of("bob", SERVER);
    private static final RoomId ROOM_A = RoomId.of("aaa", SERVER);
    private static final RoomId ROOM_B = RoomId.of("bbb", SERVER);

    @ParameterizedTest
    @EnumSource(Kind.class)
    void forgettingIsPerUserSortedAndIdempotent(Kind kind) {
        try (Database db = TestDatabases.fresh(kind)) {
            ForgottenRoomStore store = new ForgottenRoomStore(db);
            assertThat(store.forgotten(ALICE)).isEmpty();
            store.forget(ALICE, ROOM_B);
            store.forget(ALICE, ROOM_A);
            store.forget(ALICE, ROOM_B);

            assertThat(store.forgotten(ALICE)).isEqualTo(List.of(ROOM_A, ROOM_B));
            assertThat(store.isForgotten(ALICE, ROOM_A)).isTrue();
            assertThat(store.isForgotten(BOB, ROOM_A))
                    .as("another user's forgetting")
                    .isFalse();
            assertThat(store.forgotten(BOB)).isEmpty();
        }
    }

    @ParameterizedTest
    @EnumSource(Kind.class)
    void unforgetUndoesOnlyThatRoomAndToleratesRoomsNeverForgotten(Kind kind) {
        try (Database db = TestDatabases.fresh(kind)) {
            ForgottenRoomStore store = new ForgottenRoomStore(db);
            store.forget(ALICE, ROOM_A);
            store.forget(ALICE, ROOM_B);
            store.forget(BOB, ROOM_A);

            store.unforget(ALICE, ROOM_A);
            store.unforget(ALICE, RoomId.of("never", SERVER));

            assertThat(store.isForgotten(ALICE, ROOM_A)).isFalse();
            assertThat(store.forgotten(ALICE)).isEqualTo(List.of(ROOM_B));
            assertThat(store.forgotten(BOB)).isEqualTo(List.of(ROOM_A));
            store.forget(ALICE, ROOM_A);
            assertThat(store.forgotten(ALICE))
                    .as("forgotten again after rejoining and leaving")
                    .isEqualTo(List.of(ROOM_A, ROOM_B));
        }
    }
}
