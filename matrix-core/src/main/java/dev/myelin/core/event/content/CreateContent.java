package dev.myelin.core.event.content;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.myelin.core.id.EventId;
import dev.myelin.core.id.InvalidIdentifierException;
import dev.myelin.core.id.RoomId;
import dev.myelin.core.id.UserId;
import dev.myelin.core.room.RoomVersion;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The content of {@code m.room.create}, read leniently: a key with the wrong type reads as absent.
 * Whether the content is acceptable is the auth rules' business, not this record's.
 *
 * @param creator the {@code creator} key; required in room versions 1 to 10, ignored from 11,
 *     where the creator is the event's sender
 * @param roomVersion {@code room_version}; {@code "1"} when absent, as the spec says
 * @param federate {@code m.federate}; true when absent
 * @param predecessor the room this one replaces, if any
 * @param type the room type ({@code m.space} or a namespaced custom type), if any
 * @param additionalCreators {@code additional_creators} (room version 12); the entries that are
 *     valid user ids, in order
 * @see <a href="https://spec.matrix.org/v1.19/client-server-api/#mroomcreate">m.room.create</a>
 */
public record CreateContent(
        Optional<UserId> creator,
        String roomVersion,
        boolean federate,
        Optional<Predecessor> predecessor,
        Optional<String> type,
        List<UserId> additionalCreators) {

    /** Copies the lists, so the value cannot change. */
    public CreateContent {
        additionalCreators = List.copyOf(additionalCreators);
    }

    /**
     * The room a room was upgraded from.
     *
     * @param roomId the old room
     * @param eventId the old room's last event ({@code event_id}), optional since spec v1.16
     */
    public record Predecessor(RoomId roomId, Optional<EventId> eventId) {}

    /** Reads the content of a create event of a room of {@code version}. */
    public static CreateContent from(ObjectNode content, RoomVersion version) {
        Optional<UserId> creator =
                version.auth().implicitRoomCreator() ? Optional.empty() : Json.userId(content, "creator");
        List<UserId> additional = new ArrayList<>();
        JsonNode array = content.get("additional_creators");
        if (version.auth().creatorsHaveInfinitePower() && array != null && array.isArray()) {
            for (JsonNode item : array) {
                if (item.isTextual()) {
                    Json.parseUserId(item.textValue()).ifPresent(additional::add);
                }
            }
        }
        return new CreateContent(
                creator,
                Json.text(content, "room_version").orElse("1"),
                Json.bool(content, "m.federate").orElse(true),
                Json.object(content, "predecessor").flatMap(CreateContent::predecessor),
                Json.text(content, "type"),
                additional);
    }

    private static Optional<Predecessor> predecessor(ObjectNode node) {
        try {
            Optional<RoomId> room = Json.text(node, "room_id").map(RoomId::parse);
            Optional<EventId> event = Json.text(node, "event_id").map(EventId::parse);
            return room.map(r -> new Predecessor(r, event));
        } catch (InvalidIdentifierException e) {
            return Optional.empty();
        }
    }
}
