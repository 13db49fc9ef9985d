package dev.myelin.storage.stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.myelin.storage.Database;
import dev.myelin.storage.testing.TestDatabases;
import dev.myelin.storage.testing.TestDatabases.Kind;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A transaction that allocated several positions and rolled back must not let readers step past
 * them on SQLite, where the numbers are handed out again: events that get them later would land
 * behind readers that had already moved on.
 */
class StreamIdsRollbackTest {
    @Test
    void positionsOfARolledBackTransactionAreNotPublishedAndAreHandedOutAgain() {
        try (Database db = TestDatabases.fresh(Kind.SQLITE)) {
            StreamIds streams = new StreamIds(db);
            long before = streams.currentPosition(Stream.EVENTS);
            assertThatThrownBy(() -> db.write(tx -> {
                        for (int i = 0; i < 3; i++) {
                            streams.allocate(tx, Stream.EVENTS);
                        }
                        throw new IllegalStateException("rolled back on purpose");
                    }))
                    .isInstanceOf(IllegalStateException.class);
            assertThat(streams.currentPosition(Stream.EVENTS))
                    .as("nothing was committed")
                    .isEqualTo(before);
            assertThat(streams.inFlight(Stream.EVENTS)).isZero();

            List<Long> again = db.write(tx -> {
                List<Long> ids = new ArrayList<>();
                for (int i = 0; i < 3; i++) {
                    ids.add(streams.allocate(tx, Stream.EVENTS));
                }
                return ids;
            });
            assertThat(again).containsExactly(before + 1, before + 2, before + 3);
            assertThat(streams.currentPosition(Stream.EVENTS)).isEqualTo(before + 3);
        }
    }
}
