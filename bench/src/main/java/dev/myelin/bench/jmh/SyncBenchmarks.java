package dev.myelin.bench.jmh;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.myelin.testing.TestClient;
import dev.myelin.testing.TestHomeserver;
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
 * The server-side cost of an incremental {@code /sync} ({@code timeout=0}) of a user in {@code
 * rooms} rooms, through the whole real server in this JVM: matrix-testing's {@link TestHomeserver}
 * on SQLite and the system clock, reached through Jetty's in-memory connector (HTTP parsing,
 * routing, authentication, the sync handler, storage and JSON writing; no sockets).
 *
 * <ul>
 *   <li>{@code nothingNew}: nothing happened since the token;
 *   <li>{@code oneRoomChanged}: another member sent one message to one of the rooms (each in turn)
 *       since the token. The send is made in an untimed per-invocation set-up; work the server
 *       does after answering the send (waking waiters) may still overlap the timed sync.
 * </ul>
 *
 * <p>Each room has the user, one more member and one message from that member; the user has
 * synced once before measuring. The set-up creates the rooms over the in-memory connector, about
 * 20 s for 500 rooms on an idle machine. An operation takes milliseconds, so give the JIT longer
 * iterations than the default ones:
 *
 * <pre>
 * java -jar bench/target/myelin-bench.jar jmh SyncBenchmarks -f 1 -wi 5 -i 5 -w 2s -r 2s
 * </pre>
 *
 * <p>This measures wall time in a JVM that hosts both the client and the server; on a shared
 * machine the {@code incremental-sync} scenario's server CPU per sync is the steadier figure.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class SyncBenchmarks {

    /** The server, the syncing user, the other member, the rooms and the user's sync position. */
    @State(Scope.Benchmark)
    public static class Rooms {
        @Param({"500"})
        public int rooms;

        TestHomeserver server;
        TestClient user;
        TestClient other;
        final List<String> roomIds = new ArrayList<>();
        String since;
        int nextRoom;

        @Setup(Level.Trial)
        public void setUp() {
            server = TestHomeserver.builder().wallClock().start();
            user = server.registerUser("syncer");
            other = server.registerUser("other");
            for (int i = 0; i < rooms; i++) {
                String room =
                        user.createRoom(JsonNodeFactory.instance.objectNode().put("preset", "public_chat"));
                other.join(room);
                other.sendMessage(room, "hello " + i);
                roomIds.add(room);
            }
            since = user.sync(null, Map.of()).path("next_batch").asText();
            JsonNode again = user.sync(since, Map.of());
            if (!again.path("rooms").path("join").isEmpty()) {
                throw new IllegalStateException("an incremental sync with nothing new returned rooms: " + again);
            }
        }

        @TearDown(Level.Trial)
        public void tearDown() {
            server.close();
        }
    }

    /** Before each invocation of {@code oneRoomChanged}: one new message in the next room. */
    @State(Scope.Thread)
    public static class OneNewMessage {
        String room;

        @Setup(Level.Invocation)
        public void send(Rooms r) {
            room = r.roomIds.get(r.nextRoom++ % r.roomIds.size());
            r.other.sendMessage(room, "change");
        }
    }

    @Benchmark
    public JsonNode nothingNew(Rooms r) {
        JsonNode body = r.user.sync(r.since, Map.of());
        // as a client does: the next sync starts where this one ended
        r.since = body.path("next_batch").asText();
        return body;
    }

    @Benchmark
    public JsonNode oneRoomChanged(Rooms r, OneNewMessage m) {
        JsonNode body = r.user.sync(r.since, Map.of());
        r.since = body.path("next_batch").asText();
        if (!body.path("rooms").path("join").has(m.room)) {
            throw new IllegalStateException("the changed room " + m.room + " is not in the sync: " + body);
        }
        return body;
    }
}
