package dev.myelin.storage.backup;

import static org.assertj.core.api.Assertions.assertThat;

import dev.myelin.core.id.UserId;
import dev.myelin.storage.Database;
import dev.myelin.storage.internal.Json;
import dev.myelin.storage.testing.TestDatabases;
import dev.myelin.storage.testing.TestDatabases.Kind;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class KeyBackupStoreTest {
    private static final UserId ALICE = UserId.parse("@alice:test.local");
    private static final UserId BOB = UserId.parse("@bob:test.local");
    private static final String ROOM = "!room:test.local";
    private static final String ALGORITHM = "m.megolm_backup.v1.curve25519-aes-sha2";

    @ParameterizedTest
    @EnumSource(Kind.class)
    void versionsAreNumberedPerUserAndNeverReused(Kind kind) {
        try (Database db = TestDatabases.fresh(kind)) {
            KeyBackupStore store = new KeyBackupStore(db);
            assertThat(store.latest(ALICE)).isEmpty();
            assertThat(store.createVersion(ALICE, ALGORITHM, Json.object().put("k", 1)))
                    .isEqualTo(1);
            assertThat(store.createVersion(ALICE, ALGORITHM, Json.object().put("k", 2)))
                    .isEqualTo(2);
            assertThat(store.createVersion(BOB, ALGORITHM, Json.object())).isEqualTo(1);
            assertThat(store.latest(ALICE).orElseThrow().authData().get("k").asInt())
                    .isEqualTo(2);

            assertThat(store.deleteVersion(ALICE, 2)).isEqualTo(KeyBackupStore.Deletion.DELETED);
            assertThat(store.deleteVersion(ALICE, 2)).isEqualTo(KeyBackupStore.Deletion.ALREADY_DELETED);
            assertThat(store.deleteVersion(ALICE, 5)).isEqualTo(KeyBackupStore.Deletion.NOT_FOUND);
            assertThat(store.latest(ALICE).orElseThrow().version()).isEqualTo(1);
            assertThat(store.version(ALICE, 2)).isEmpty();
            assertThat(store.updateAuthData(ALICE, 2, Json.object())).isFalse();
            assertThat(store.createVersion(ALICE, ALGORITHM, Json.object())).isEqualTo(3);
        }
    }

    @ParameterizedTest
    @EnumSource(Kind.class)
    void keysGoToTheNewestVersionAndAreReplacedAsTheRuleSays(Kind kind) {
        try (Database db = TestDatabases.fresh(kind)) {
            KeyBackupStore store = new KeyBackupStore(db);
            store.createVersion(ALICE, ALGORITHM, Json.object());
            SessionBackup first = new SessionBackup(3, 0, false, Json.object().put("c", "first"));
            KeyBackupVersion after = store.upload(
                            ALICE, 1, List.of(new BackedUpSession(ROOM, "s", first)), (uploaded, stored) -> true)
                    .orElseThrow();
            assertThat(after.count()).isEqualTo(1);
            assertThat(after.etag()).isEqualTo(1);

            SessionBackup kept = new SessionBackup(0, 0, true, Json.object().put("c", "kept?"));
            assertThat(store.upload(
                                    ALICE,
                                    1,
                                    List.of(new BackedUpSession(ROOM, "s", kept)),
                                    (uploaded, stored) -> false)
                            .orElseThrow()
                            .etag())
                    .as("nothing written")
                    .isEqualTo(1);
            assertThat(store.keys(ALICE, 1, ROOM, "s"))
                    .extracting(BackedUpSession::backup)
                    .containsExactly(first);

            store.upload(ALICE, 1, List.of(new BackedUpSession(ROOM, "s", kept)), (uploaded, stored) -> true);
            assertThat(store.keys(ALICE, 1, null, null))
                    .extracting(BackedUpSession::backup)
                    .containsExactly(kept);

            store.createVersion(ALICE, ALGORITHM, Json.object());
            assertThat(store.upload(ALICE, 1, List.of(), (uploaded, stored) -> true))
                    .isEmpty();
            assertThat(store.deleteKeys(ALICE, 1, ROOM, null).orElseThrow().count())
                    .isZero();
            store.upload(ALICE, 2, List.of(new BackedUpSession(ROOM, "s", kept)), (uploaded, stored) -> true);
            store.deleteVersion(ALICE, 2);
            assertThat(store.keys(ALICE, 2, null, null)).isEmpty();
            assertThat(store.deleteKeys(ALICE, 2, null, null)).isEmpty();
        }
    }
}
