package dev.myelin.bench.jmh;

import dev.myelin.core.auth.StateTuple;
import dev.myelin.core.event.Pdu;
import dev.myelin.core.event.PduBuilder;
import dev.myelin.core.id.EventId;
import dev.myelin.core.id.RoomId;
import dev.myelin.core.id.UserId;
import dev.myelin.core.room.RoomVersion;
import dev.myelin.core.state.EventLookup;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The signed events of one benchmark room in the format of its version, and a line of the room's
 * history ({@link Branch}) that can be forked. Event ids are the real reference hashes, so they
 * order as they would in a live room.
 */
final class RoomDag {
    private static final long START_TS = 1_700_000_000_000L;

    final RoomVersion version;
    private final Map<EventId, Pdu> events = new HashMap<>();
    private final RoomId room;
    final Pdu create;

    RoomDag(RoomVersion version, UserId creator) {
        this.version = version;
        String content = version.auth().implicitRoomCreator()
                ? "{\"room_version\":\"" + version.id() + "\"}"
                : "{\"creator\":\"" + creator + "\",\"room_version\":\"" + version.id() + "\"}";
        PduBuilder builder = PduBuilder.forVersion(version)
                .sender(creator)
                .type("m.room.create")
                .stateKey("")
                .content(RoomFixture.obj(content))
                .depth(1)
                .originServerTs(START_TS);
        if (!version.eventFormat().roomIdFromCreateEvent()) {
            builder.roomId(RoomFixture.ROOM);
        }
        create = builder.build(RoomFixture.SERVER, RoomFixture.KEY);
        events.put(create.eventId(), create);
        room = create.roomId();
    }

    /** A line of history starting right after the create event, its state holding only that event. */
    Branch start() {
        Map<StateTuple, Pdu> state = new HashMap<>();
        state.put(StateTuple.CREATE, create);
        return new Branch(state, create, START_TS);
    }

    EventLookup lookup() {
        Map<EventId, Pdu> copy = Map.copyOf(events);
        return id -> Optional.ofNullable(copy.get(id));
    }

    int size() {
        return events.size();
    }

    /**
     * One line of the room's history: each event follows the previous one and changes the
     * branch's state. {@link #fork} starts another line from the same point.
     */
    final class Branch {
        private final Map<StateTuple, Pdu> state;
        private Pdu last;
        private long ts;

        private Branch(Map<StateTuple, Pdu> state, Pdu last, long ts) {
            this.state = state;
            this.last = last;
            this.ts = ts;
        }

        Branch fork() {
            return new Branch(new HashMap<>(state), last, ts);
        }

        Pdu get(StateTuple key) {
            return state.get(key);
        }

        Pdu member(UserId user) {
            return state.get(StateTuple.member(user.toString()));
        }

        /** This branch's state as a state set for the resolver. */
        Map<StateTuple, EventId> stateSet() {
            Map<StateTuple, EventId> set = new HashMap<>();
            state.forEach((key, event) -> set.put(key, event.eventId()));
            return set;
        }

        /**
         * A state event after the last one of this branch. The create event is dropped from the
         * auth events in room versions that name it through the room id.
         */
        Pdu state(UserId sender, String type, String stateKey, String content, Pdu... auth) {
            List<EventId> authIds = new ArrayList<>();
            for (Pdu event : auth) {
                if (event != create || !version.eventFormat().roomIdFromCreateEvent()) {
                    authIds.add(event.eventId());
                }
            }
            Pdu event = PduBuilder.forVersion(version)
                    .roomId(room)
                    .sender(sender)
                    .type(type)
                    .stateKey(stateKey)
                    .content(RoomFixture.obj(content))
                    .authEvents(authIds)
                    .prevEvents(List.of(last.eventId()))
                    .depth(last.depth() + 1)
                    .originServerTs(++ts)
                    .build(RoomFixture.SERVER, RoomFixture.KEY);
            events.put(event.eventId(), event);
            state.put(new StateTuple(type, stateKey), event);
            last = event;
            return event;
        }
    }
}
