package dev.myelin.server.handler.room;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.myelin.core.id.EventId;
import dev.myelin.core.id.RoomId;
import dev.myelin.core.id.UserId;
import java.util.Optional;

/**
 * An event a local user wants to send: what the client chose. Ids, edges, auth events, depth,
 * hashes and signatures are added by {@link EventCreator}.
 */
public record EventRequest(RoomId roomId, UserId sender, String type, Optional<String> stateKey, ObjectNode content,
        Optional<EventId> redacts) {

    public static EventRequest message(RoomId room, UserId sender, String type, ObjectNode content) {
        return new EventRequest(room, sender, type, Optional.empty(), content, Optional.empty());
    }

    public static EventRequest state(RoomId room, UserId sender, String type, String stateKey, ObjectNode content) {
        return new EventRequest(room, sender, type, Optional.of(stateKey), content, Optional.empty());
    }
}
