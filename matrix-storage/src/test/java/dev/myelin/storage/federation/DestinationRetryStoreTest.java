package dev.myelin.storage.federation;

import static org.assertj.core.api.Assertions.assertThat;

import dev.myelin.core.id.ServerName;
import dev.myelin.storage.Database;
import dev.myelin.storage.DatabaseConfig;
import dev.myelin.storage.testing.TestDatabases;
import dev.myelin.storage.testing.TestDatabases.Kind;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class DestinationRetryStoreTest {
    private static final ServerName REMOTE = ServerName.parse("remote.example");
    private static final ServerName OTHER = ServerName.parse("other.example:8448");

    @ParameterizedTest
    @EnumSource(Kind.class)
    void unknownDestinationHasNoTimings(Kind kind) {
        try (Database db = TestDatabases.fresh(kind)) {
            assertThat(new DestinationRetryStore(db).get(REMOTE)).isEmpty();
        }
    }

    @ParameterizedTest
    @EnumSource(Kind.class)
    void timingsArePerDestinationAndSurviveReopeningTheDatabase(Kind kind) {
        DatabaseConfig config = TestDatabases.freshConfig(kind);
        DestinationRetryTimings failing = new DestinationRetryTimings(1_000, 5_000, 600_000);
        try (Database db = Database.open(config)) {
            new DestinationRetryStore(db).set(REMOTE, failing);
        }
        try (Database db = Database.open(config)) {
            DestinationRetryStore store = new DestinationRetryStore(db);
            assertThat(store.get(REMOTE)).contains(failing);
            assertThat(store.get(OTHER)).as("another destination").isEmpty();
        } finally {
            TestDatabases.discard(config);
        }
    }

    @ParameterizedTest
    @EnumSource(Kind.class)
    void resetMakesTheDestinationUpAgain(Kind kind) {
        try (Database db = TestDatabases.fresh(kind)) {
            DestinationRetryStore store = new DestinationRetryStore(db);
            store.set(REMOTE, new DestinationRetryTimings(1_000, 5_000, 600_000));
            store.set(REMOTE, DestinationRetryTimings.UP);
            assertThat(store.get(REMOTE)).isEmpty();
            store.set(REMOTE, new DestinationRetryTimings(9_000, 9_000, 600_000));
            assertThat(store.get(REMOTE)).contains(new DestinationRetryTimings(9_000, 9_000, 600_000));
        }
    }

    @ParameterizedTest
    @EnumSource(Kind.class)
    void anOlderAttemptDoesNotShortenANewerInterval(Kind kind) {
        try (Database db = TestDatabases.fresh(kind)) {
            DestinationRetryStore store = new DestinationRetryStore(db);
            DestinationRetryTimings newer = new DestinationRetryTimings(1_000, 5_000, 1_200_000);
            store.set(REMOTE, newer);
            store.set(REMOTE, new DestinationRetryTimings(1_000, 5_000, 600_000));
            store.set(REMOTE, new DestinationRetryTimings(1_000, 4_000, 600_000));
            assertThat(store.get(REMOTE)).as("stale writes ignored").contains(newer);

            DestinationRetryTimings later = new DestinationRetryTimings(1_000, 7_000, 600_000);
            store.set(REMOTE, later);
            assertThat(store.get(REMOTE)).as("a later attempt wins").contains(later);
            DestinationRetryTimings longer = new DestinationRetryTimings(1_000, 7_000, 2_400_000);
            store.set(REMOTE, longer);
            assertThat(store.get(REMOTE)).as("a longer interval wins").contains(longer);
        }
    }
}
