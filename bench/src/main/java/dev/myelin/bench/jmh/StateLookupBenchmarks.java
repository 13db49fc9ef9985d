package dev.myelin.bench.jmh;

import dev.myelin.core.event.Pdu;
import dev.myelin.core.id.EventId;
import dev.myelin.storage.Database;
import dev.myelin.storage.DatabaseConfig;
import dev.myelin.storage.persist.EventPersister;
import dev.myelin.storage.state.StateKey;
import dev.myelin.storage.state.StateStore;
import dev.myelin.storage.stream.StreamIds;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * State lookups on SQLite in a room of {@code members} joined users: the whole state at an event
 * through the state-group cache (what event creation and sync read), a fresh {@link StateStore}
 * (uncached: walks the group chain in the database), and one current-state entry (a query).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class StateLookupBenchmarks {
    @Param({"1000"})
    public int members;

    private Path dir;
    private Database db;
    private StateStore state;
    private EventId at;
    private static final StateKey POWER_LEVELS = new StateKey("m.room.power_levels", "");

    @Setup(Level.Trial)
    public void setUp() throws Exception {
        dir = Files.createTempDirectory("myelin-jmh-state");
        db = Database.open(DatabaseConfig.sqlite(dir.resolve("state.db")));
        StreamIds streams = new StreamIds(db);
        state = new StateStore(db);
        EventPersister persister = new EventPersister(db, streams, state);
        RoomFixture room = new RoomFixture(members);
        for (Pdu event : room.events) {
            persister.persist(event);
        }
        at = room.message.eventId();
        state.stateAt(at);
    }

    @TearDown(Level.Trial)
    public void tearDown() throws Exception {
        db.close();
        try (var files = Files.walk(dir)) {
            files.sorted(java.util.Comparator.reverseOrder())
                    .forEach(p -> p.toFile().delete());
        }
    }

    @Benchmark
    public Optional<Map<StateKey, EventId>> stateAtEventCached() {
        return state.stateAt(at);
    }

    @Benchmark
    public Optional<Map<StateKey, EventId>> stateAtEventUncached() {
        return new StateStore(db).stateAt(at);
    }

    @Benchmark
    public Optional<EventId> currentStateEntry() {
        return state.currentStateEvent(RoomFixture.ROOM, POWER_LEVELS);
    }
}
