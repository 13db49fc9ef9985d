package dev.myelin.federation.backoff;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.myelin.core.id.ServerName;
import dev.myelin.core.time.ManualClock;
import dev.myelin.storage.Database;
import dev.myelin.storage.DatabaseConfig;
import dev.myelin.storage.federation.DestinationRetryStore;
import dev.myelin.storage.federation.DestinationRetryTimings;
import dev.myelin.storage.testing.TestDatabases;
import dev.myelin.storage.testing.TestDatabases.Kind;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** The backoff kept in matrix-storage's {@code destinations} table survives closing and reopening the database. */
class DestinationBackoffPersistenceTest {
    private static final ServerName REMOTE = ServerName.parse("remote.example");

    /** The adapter a homeserver wires between the two modules. */
    private record Stored(DestinationRetryStore store) implements RetryTimingsRepository {
        @Override
        public Optional<RetryTimings> get(ServerName destination) {
            return store.get(destination)
                    .map(t -> new RetryTimings(t.failureTs(), t.retryLastTs(), t.retryIntervalMs()));
        }

        @Override
        public void set(ServerName destination, RetryTimings t) {
            store.set(destination, new DestinationRetryTimings(t.failureTs(), t.retryLastTs(), t.retryIntervalMs()));
        }
    }

    @ParameterizedTest
    @EnumSource(Kind.class)
    void backoffSurvivesARestart(Kind kind) {
        ManualClock clock = new ManualClock(Instant.parse("2026-01-01T00:00:00Z"));
        DatabaseConfig config = TestDatabases.freshConfig(kind);
        try {
            try (Database db = Database.open(config)) {
                DestinationBackoff backoff = new DestinationBackoff(
                        FederationRetryConfig.DEFAULT,
                        clock,
                        new Stored(new DestinationRetryStore(db)),
                        RetryJitter.NONE);
                backoff.begin(REMOTE).failed();
                clock.advance(Duration.ofMinutes(10));
                backoff.begin(REMOTE).failed();
            }
            clock.advance(Duration.ofMinutes(5));
            try (Database db = Database.open(config)) {
                DestinationBackoff restarted = new DestinationBackoff(
                        FederationRetryConfig.DEFAULT,
                        clock,
                        new Stored(new DestinationRetryStore(db)),
                        RetryJitter.NONE);
                RetryTimings timings = restarted.timings(REMOTE);
                assertThat(timings.retryInterval()).isEqualTo(Duration.ofMinutes(20));
                assertThat(timings.failureTs())
                        .isEqualTo(Instant.parse("2026-01-01T00:00:00Z").toEpochMilli());
                assertThatThrownBy(() -> restarted.begin(REMOTE)).isInstanceOf(DestinationInBackoffException.class);

                clock.advance(Duration.ofMinutes(15));
                restarted.begin(REMOTE).succeeded();
            }
            try (Database db = Database.open(config)) {
                assertThat(new DestinationRetryStore(db).get(REMOTE))
                        .as("the reset is stored too")
                        .isEmpty();
            }
        } finally {
            TestDatabases.discard(config);
        }
    }
}
