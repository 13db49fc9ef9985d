package dev.myelin.core.event;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.myelin.core.id.EventId;
import dev.myelin.core.id.RoomId;
import dev.myelin.core.room.RoomVersion;
import java.util.List;

/**
 * An event in room version 12: as v4, except that the room id is {@code !} + the create event's
 * reference hash, so the create event itself carries no {@code room_id}.
 */
public final class PduV12 extends PduBase implements Pdu {
    PduV12(RoomVersion version, ObjectNode json, EventId eventId) {
        super(version, json, eventId);
        if (!eventId.isUrlSafeBase64Hash()) {
            throw new InvalidEventException(
                    "room version " + version.id() + " needs url-safe base64 hash event ids: " + eventId);
        }
    }

    private static boolean isCreate(ObjectNode json) {
        return json.path("type").asText("").equals("m.room.create")
                && json.path("state_key").isTextual()
                && json.path("state_key").textValue().isEmpty();
    }

    @Override
    RoomId readRoomId(ObjectNode json) {
        if (isCreate(json)) {
            if (json.has("room_id")) {
                throw new InvalidEventException("an m.room.create event in room version 12 must not have 'room_id'");
            }
            return null;
        }
        RoomId roomId = PduFields.roomId(json);
        if (roomId.server().isPresent()) {
            throw new InvalidEventException("room version 12 room ids have no server part: " + roomId);
        }
        return roomId;
    }

    @Override
    public RoomId roomId() {
        RoomId stored = super.roomId();
        return stored != null ? stored : RoomId.fromCreateEvent(eventId());
    }

    @Override
    List<EventId> readEdges(ObjectNode json, String key) {
        return PduFields.idList(json, key);
    }
}
