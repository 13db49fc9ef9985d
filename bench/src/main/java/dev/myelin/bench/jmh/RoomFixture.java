package dev.myelin.bench.jmh;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.myelin.core.crypto.SigningKey;
import dev.myelin.core.event.Pdu;
import dev.myelin.core.event.PduBuilder;
import dev.myelin.core.id.EventId;
import dev.myelin.core.id.RoomId;
import dev.myelin.core.id.ServerName;
import dev.myelin.core.id.UserId;
import dev.myelin.core.json.CanonicalJson;
import dev.myelin.core.room.RoomVersion;
import dev.myelin.core.room.RoomVersions;
import java.util.ArrayList;
import java.util.List;

/**
 * A real, signed room-version-10 room for the micro-benchmarks: create, the creator's join, power
 * levels, public join rules, then {@code members} more joins, and a typical message from the last
 * member on top.
 */
final class RoomFixture {
    static final RoomVersion VERSION = RoomVersions.V10;
    static final ServerName SERVER = ServerName.parse("bench.local");
    static final SigningKey KEY = SigningKey.fromSeed("bench", new byte[32]);
    static final RoomId ROOM = RoomId.parse("!bench:bench.local");
    static final UserId CREATOR = UserId.parse("@creator:bench.local");

    final List<Pdu> events = new ArrayList<>();
    final Pdu create;
    final Pdu powerLevels;
    final Pdu joinRules;
    final Pdu creatorJoin;
    Pdu lastJoin;
    final Pdu message;

    RoomFixture(int members) {
        create = add(
                builder(CREATOR, "m.room.create", "")
                        .content(obj("{\"creator\":\"@creator:bench.local\",\"room_version\":\"10\"}")),
                List.of());
        creatorJoin = add(
                builder(CREATOR, "m.room.member", CREATOR.toString())
                        .content(obj("{\"membership\":\"join\",\"displayname\":\"creator\"}")),
                List.of(create));
        powerLevels = add(builder(CREATOR, "m.room.power_levels", "").content(obj("""
                {"users":{"@creator:bench.local":100},"users_default":0,"events":{"m.room.name":50,
                "m.room.power_levels":100},"events_default":0,"state_default":50,"ban":50,"kick":50,
                "redact":50,"invite":0}""")), List.of(create, creatorJoin));
        joinRules = add(
                builder(CREATOR, "m.room.join_rules", "").content(obj("{\"join_rule\":\"public\"}")),
                List.of(create, creatorJoin, powerLevels));
        lastJoin = creatorJoin;
        for (int i = 0; i < members; i++) {
            UserId user = UserId.parse("@m" + i + ":bench.local");
            lastJoin = add(
                    builder(user, "m.room.member", user.toString())
                            .content(obj("{\"membership\":\"join\",\"displayname\":\"member " + i + "\"}")),
                    List.of(create, powerLevels, joinRules));
        }
        message = add(
                builder(lastJoin.sender(), "m.room.message", null)
                        .content(
                                obj(
                                        "{\"msgtype\":\"m.text\",\"body\":\"Hello, this is a fairly typical chat message of some length.\"}")),
                List.of(create, powerLevels, lastJoin));
    }

    private long depth = 1;

    private PduBuilder builder(UserId sender, String type, String stateKey) {
        PduBuilder b =
                PduBuilder.forVersion(VERSION).roomId(ROOM).sender(sender).type(type);
        return stateKey == null ? b : b.stateKey(stateKey);
    }

    private Pdu add(PduBuilder builder, List<Pdu> auth) {
        List<EventId> prev =
                events.isEmpty() ? List.of() : List.of(events.getLast().eventId());
        Pdu pdu = builder.authEvents(auth.stream().map(Pdu::eventId).toList())
                .prevEvents(prev)
                .depth(depth++)
                .originServerTs(1_700_000_000_000L + depth)
                .build(SERVER, KEY);
        events.add(pdu);
        return pdu;
    }

    static ObjectNode obj(String json) {
        return (ObjectNode) CanonicalJson.parse(json);
    }
}
