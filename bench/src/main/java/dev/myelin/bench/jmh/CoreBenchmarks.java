package dev.myelin.bench.jmh;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.myelin.core.auth.AuthResult;
import dev.myelin.core.auth.AuthState;
import dev.myelin.core.auth.EventAuthorizer;
import dev.myelin.core.event.EventSigning;
import dev.myelin.core.event.Pdu;
import dev.myelin.core.event.PduBuilder;
import dev.myelin.core.id.EventId;
import dev.myelin.core.json.CanonicalJson;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * The per-event CPU work of sending a message, piece by piece: canonical JSON of a typical signed
 * event, hashing and Ed25519-signing it, building a whole event with {@link PduBuilder}, and the
 * authorization check of a message in a room with power levels.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class CoreBenchmarks {
    private RoomFixture room;
    private ObjectNode messageJson;
    private byte[] messageBytes;
    private AuthState authState;
    private List<EventId> authEvents;
    private ObjectNode content;

    @Setup
    public void setUp() {
        room = new RoomFixture(3);
        messageJson = room.message.json();
        messageBytes = CanonicalJson.encode(messageJson);
        authState =
                AuthState.of(List.of(room.create, room.creatorJoin, room.powerLevels, room.joinRules, room.lastJoin));
        authEvents = List.of(room.create.eventId(), room.powerLevels.eventId(), room.lastJoin.eventId());
        content =
                RoomFixture.obj("{\"msgtype\":\"m.text\",\"body\":\"Hello, this is a fairly typical chat message.\"}");
    }

    @Benchmark
    public byte[] canonicalJsonEncode() {
        return CanonicalJson.encode(messageJson);
    }

    @Benchmark
    public byte[] ed25519Sign() {
        return RoomFixture.KEY.sign(messageBytes);
    }

    @Benchmark
    public ObjectNode hashAndSignEvent() {
        return EventSigning.hashAndSign(
                messageJson.deepCopy(), RoomFixture.VERSION, RoomFixture.SERVER, RoomFixture.KEY);
    }

    @Benchmark
    public Pdu pduBuilderBuild() {
        return PduBuilder.forVersion(RoomFixture.VERSION)
                .roomId(RoomFixture.ROOM)
                .sender(room.lastJoin.sender())
                .type("m.room.message")
                .content(content)
                .prevEvents(List.of(room.message.eventId()))
                .authEvents(authEvents)
                .depth(100)
                .originServerTs(1_700_000_000_000L)
                .build(RoomFixture.SERVER, RoomFixture.KEY);
    }

    @Benchmark
    public AuthResult eventAuthorizerCheckMessage() {
        return EventAuthorizer.check(room.message, authState);
    }
}
