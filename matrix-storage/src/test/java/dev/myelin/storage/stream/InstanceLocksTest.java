package dev.myelin.storage.stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.myelin.storage.Database;
import dev.myelin.storage.DatabaseConfig;
import dev.myelin.storage.StorageException;
import dev.myelin.storage.testing.TestDatabases;
import dev.myelin.storage.testing.TestDatabases.Kind;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A process's instance lock says whether it runs; a dead one's stream positions stop holding readers back. */
class InstanceLocksTest {
    @Test
    void aLockIsHeldWhileItsProcessRunsAndOnlyOnce() {
        DatabaseConfig config = TestDatabases.freshConfig(Kind.POSTGRES);
        try (InstanceLocks p1 = InstanceLocks.hold(config, "p1");
                InstanceLocks p2 = InstanceLocks.hold(config, "p2")) {
            assertThat(p2.isAlive("p1")).isTrue();
            assertThat(p2.isAlive("never-started")).isFalse();
            assertThatThrownBy(() -> InstanceLocks.hold(config, "p1"))
                    .isInstanceOf(StorageException.class)
                    .hasMessageContaining("another process already runs as instance 'p1'");
            p1.close();
            // the server ends the session a moment after the connection closes
            long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(10);
            while (p2.isAlive("p1") && System.nanoTime() < deadline) {
                Thread.onSpinWait();
            }
            assertThat(p2.isAlive("p1")).as("its session ended").isFalse();
            assertThat(p2.isAlive("p1")).as("asking does not keep the lock").isFalse();
        } finally {
            TestDatabases.discard(config);
        }
    }

    @Test
    void aDeadWriterNoLongerHoldsReadersBackAndItsUnannouncedChangesReadAsChanged() {
        try (Database db = TestDatabases.fresh(Kind.POSTGRES)) {
            StreamIds reader = new StreamIds(db);
            StreamIds dead = new StreamIds(db);
            reader.replicate((stream, token, rows) -> {});
            dead.replicate((stream, token, rows) -> {}); // announces nothing to the reader: it dies first
            long start = reader.currentPosition(Stream.EVENTS);
            reader.remotePosition(Stream.EVENTS, "dead", start, List.of());
            long committed = db.write(tx -> {
                long id = dead.allocate(tx, Stream.EVENTS);
                dead.recordChange(ChangedEntities.ROOM_EVENTS, "!room:hs", id);
                return id;
            });
            long mine = db.write(tx -> reader.allocate(tx, Stream.EVENTS));
            assertThat(reader.laggingWriters()).containsExactly("dead");
            assertThat(reader.currentPosition(Stream.EVENTS)).isEqualTo(start);

            reader.writerDied("dead");
            assertThat(reader.laggingWriters()).isEmpty();
            assertThat(reader.currentPosition(Stream.EVENTS)).isEqualTo(Math.max(committed, mine));
            assertThat(reader.changes(ChangedEntities.ROOM_EVENTS).hasChangedSince("!room:hs", start))
                    .as("never announced, so it may have changed")
                    .isTrue();
        }
    }
}
