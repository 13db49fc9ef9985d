package dev.myelin.bench.jmh;

import dev.myelin.core.auth.AuthEventSelection;
import dev.myelin.core.auth.AuthResult;
import dev.myelin.core.auth.AuthState;
import dev.myelin.core.auth.EventAuthorizer;
import dev.myelin.core.auth.StateTuple;
import dev.myelin.core.event.Pdu;
import dev.myelin.core.event.PduBuilder;
import dev.myelin.core.id.EventId;
import dev.myelin.core.id.UserId;
import dev.myelin.storage.Database;
import dev.myelin.storage.DatabaseConfig;
import dev.myelin.storage.event.EventStore;
import dev.myelin.storage.event.StoredEvent;
import dev.myelin.storage.persist.EventPersister;
import dev.myelin.storage.state.StateKey;
import dev.myelin.storage.state.StateStore;
import dev.myelin.storage.stream.StreamIds;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
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
 * A room of {@code members} joined users on SQLite, read as a join into it and {@code /members} read
 * it: the auth check of one more join against the cached current state (what event creation does
 * per join), the joined members and current state from the cache, and the {@code replaces_state}
 * lookups of every member event (answered from what the first lookup found).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class LargeRoomBenchmarks {
    @Param({"10000"})
    public int members;

    private Path dir;
    private Database db;
    private StateStore state;
    private EventStore events;
    private Pdu newcomerJoin;
    private final List<StateStore.KeyAt> memberLookups = new ArrayList<>();

    @Setup(Level.Trial)
    public void setUp() throws Exception {
        dir = Files.createTempDirectory("myelin-jmh-large-room");
        db = Database.open(DatabaseConfig.sqlite(dir.resolve("room.db")));
        StreamIds streams = new StreamIds(db);
        state = new StateStore(db);
        events = new EventStore(db, streams);
        EventPersister persister = new EventPersister(db, streams, state);
        RoomFixture room = new RoomFixture(members);
        for (Pdu event : room.events) {
            persister.persist(event);
            if (event.type().equals("m.room.member") && !event.prevEventIds().isEmpty()) {
                memberLookups.add(new StateStore.KeyAt(
                        event.prevEventIds().getFirst(),
                        StateKey.member(event.stateKey().orElseThrow())));
            }
        }
        UserId newcomer = UserId.parse("@newcomer:bench.local");
        newcomerJoin = PduBuilder.forVersion(RoomFixture.VERSION)
                .roomId(RoomFixture.ROOM)
                .sender(newcomer)
                .type("m.room.member")
                .stateKey(newcomer.toString())
                .content(RoomFixture.obj("{\"membership\":\"join\"}"))
                .authEvents(List.of(room.create.eventId(), room.powerLevels.eventId(), room.joinRules.eventId()))
                .prevEvents(List.of(room.message.eventId()))
                .depth(members + 10)
                .originServerTs(1_800_000_000_000L)
                .build(RoomFixture.SERVER, RoomFixture.KEY);
        state.currentState(RoomFixture.ROOM);
        state.entriesAt(memberLookups);
    }

    @TearDown(Level.Trial)
    public void tearDown() throws Exception {
        db.close();
        try (var files = Files.walk(dir)) {
            files.sorted(java.util.Comparator.reverseOrder())
                    .forEach(p -> p.toFile().delete());
        }
    }

    /** What event creation does for a join: its auth events from the current state, then the auth rules. */
    @Benchmark
    public AuthResult joinAuthCheckWithCachedState() {
        Map<StateKey, EventId> current = state.currentState(RoomFixture.ROOM);
        List<EventId> auth = new ArrayList<>();
        for (StateTuple key : AuthEventSelection.select(newcomerJoin)) {
            EventId id = current.get(StateKey.of(key.type(), key.stateKey()));
            if (id != null) {
                auth.add(id);
            }
        }
        List<Pdu> authEvents =
                events.getAll(auth).values().stream().map(StoredEvent::pdu).toList();
        return EventAuthorizer.check(newcomerJoin, AuthState.of(authEvents));
    }

    @Benchmark
    public List<UserId> joinedMembersCached() {
        return state.joinedMembers(RoomFixture.ROOM);
    }

    @Benchmark
    public Map<StateKey, EventId> currentStateCached() {
        return state.currentState(RoomFixture.ROOM);
    }

    /** The {@code replaces_state} lookups of every member event of the room, as {@code /members} makes them. */
    @Benchmark
    public Map<StateStore.KeyAt, EventId> membersReplacedState() {
        return state.entriesAt(memberLookups);
    }
}
