package dev.myelin.core.event;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.myelin.core.id.EventId;
import dev.myelin.core.id.RoomId;
import dev.myelin.core.room.RoomVersion;
import java.util.List;

/** An event in room version 3: ids are standard-alphabet base64 reference hashes. */
public final class PduV3 extends PduBase implements Pdu {
    PduV3(RoomVersion version, ObjectNode json, EventId eventId) {
        super(version, json, eventId);
        if (!eventId.isStandardBase64Hash()) {
            throw new InvalidEventException(
                    "room version " + version.id() + " needs base64 hash event ids: " + eventId);
        }
    }

    @Override
    RoomId readRoomId(ObjectNode json) {
        return PduFields.roomId(json);
    }

    @Override
    List<EventId> readEdges(ObjectNode json, String key) {
        return PduFields.idList(json, key);
    }
}
