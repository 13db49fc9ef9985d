package dev.myelin.core.event;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.myelin.core.id.EventId;
import dev.myelin.core.id.RoomId;
import dev.myelin.core.room.RoomVersion;
import java.util.List;

/**
 * An event in room versions 1 and 2: the event id ({@code $opaque:server}) is part of the event,
 * and edges are {@code [event_id, {hashes}]} pairs.
 */
public final class PduV1 extends PduBase implements Pdu {
    PduV1(RoomVersion version, ObjectNode json, EventId eventId) {
        super(version, json, eventId);
        String own = PduFields.requireString(json, "event_id");
        if (!own.equals(eventId.value())) {
            throw new InvalidEventException("event key 'event_id' is " + own + ", expected " + eventId);
        }
        if (!eventId.hasServerPart()) {
            throw new InvalidEventException("room version " + version.id() + " needs event ids of the form $id:server");
        }
    }

    @Override
    RoomId readRoomId(ObjectNode json) {
        return PduFields.roomId(json);
    }

    @Override
    List<EventId> readEdges(ObjectNode json, String key) {
        return PduFields.pairList(json, key);
    }
}
