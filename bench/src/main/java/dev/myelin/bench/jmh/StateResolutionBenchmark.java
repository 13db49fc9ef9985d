package dev.myelin.bench.jmh;

import dev.myelin.core.auth.StateTuple;
import dev.myelin.core.id.EventId;
import dev.myelin.core.room.RoomVersion;
import dev.myelin.core.room.RoomVersions;
import dev.myelin.core.state.StateResolver;
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

/**
 * {@link StateResolver#resolve} of two forks of a room with {@code members} joined users whose
 * states disagree on about {@code conflict} events (see {@link ForkedRoom} for the DAG). The
 * events are built and signed once per trial; only the resolution is measured, and the set-up
 * checks its result so the benchmark cannot silently measure a shortcut.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
public class StateResolutionBenchmark {
    @Param({"10", "12"})
    public String roomVersion;

    @Param({"100", "1000", "3000"})
    public int conflict;

    @Param({"10000"})
    public int members;

    private RoomVersion version;
    private ForkedRoom room;

    @Setup(Level.Trial)
    public void setUp() {
        version = RoomVersions.find(roomVersion)
                .orElseThrow(() -> new IllegalArgumentException("unknown room version " + roomVersion));
        room = new ForkedRoom(version, members, conflict);
        room.check(resolve());
        System.out.println(room.describe());
    }

    @Benchmark
    public Map<StateTuple, EventId> resolve() {
        return StateResolver.resolve(version, room.stateSets, room.lookup);
    }
}
