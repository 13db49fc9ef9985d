package dev.myelin.core.event;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.myelin.core.id.EventId;
import dev.myelin.core.id.InvalidIdentifierException;
import dev.myelin.core.id.RoomId;
import dev.myelin.core.id.UserId;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** Reading and validating the keys shared by every event format. */
final class PduFields {
    private PduFields() {}

    static String requireString(ObjectNode json, String key) {
        JsonNode node = json.get(key);
        if (node == null || !node.isTextual()) {
            throw new InvalidEventException("event key '" + key + "' must be a string");
        }
        return node.textValue();
    }

    static long requireInteger(ObjectNode json, String key) {
        JsonNode node = json.get(key);
        if (node == null || !node.isIntegralNumber() || !node.canConvertToLong()) {
            throw new InvalidEventException("event key '" + key + "' must be an integer");
        }
        return node.longValue();
    }

    static ObjectNode requireObject(ObjectNode json, String key) {
        JsonNode node = json.get(key);
        if (node == null || !node.isObject()) {
            throw new InvalidEventException("event key '" + key + "' must be an object");
        }
        return (ObjectNode) node;
    }

    static ObjectNode optionalObject(ObjectNode json, String key) {
        JsonNode node = json.get(key);
        if (node == null || node.isNull()) {
            return JsonNodeFactory.instance.objectNode();
        }
        if (!node.isObject()) {
            throw new InvalidEventException("event key '" + key + "' must be an object");
        }
        return (ObjectNode) node;
    }

    static Optional<String> stateKey(ObjectNode json) {
        JsonNode node = json.get("state_key");
        if (node == null) {
            return Optional.empty();
        }
        if (!node.isTextual()) {
            throw new InvalidEventException("event key 'state_key' must be a string");
        }
        return Optional.of(node.textValue());
    }

    static UserId sender(ObjectNode json) {
        try {
            return UserId.parse(requireString(json, "sender"));
        } catch (InvalidIdentifierException e) {
            throw new InvalidEventException("event key 'sender' is not a user id: " + e.getMessage(), e);
        }
    }

    static RoomId roomId(ObjectNode json) {
        try {
            return RoomId.parse(requireString(json, "room_id"));
        } catch (InvalidIdentifierException e) {
            throw new InvalidEventException("event key 'room_id' is not a room id: " + e.getMessage(), e);
        }
    }

    static EventId eventId(String key, String value) {
        try {
            return EventId.parse(value);
        } catch (InvalidIdentifierException e) {
            throw new InvalidEventException("event key '" + key + "' holds an invalid event id: " + e.getMessage(), e);
        }
    }

    /** Edges as a list of event id strings (formats v3 and later). */
    static List<EventId> idList(ObjectNode json, String key) {
        JsonNode node = json.get(key);
        if (node == null || !node.isArray()) {
            throw new InvalidEventException("event key '" + key + "' must be an array of event ids");
        }
        List<EventId> ids = new ArrayList<>(node.size());
        for (JsonNode item : node) {
            if (!item.isTextual()) {
                throw new InvalidEventException("event key '" + key + "' must be an array of event ids");
            }
            ids.add(eventId(key, item.textValue()));
        }
        return List.copyOf(ids);
    }

    /** Edges as a list of {@code [event_id, {hashes}]} pairs (format v1). */
    static List<EventId> pairList(ObjectNode json, String key) {
        JsonNode node = json.get(key);
        if (node == null || !node.isArray()) {
            throw new InvalidEventException("event key '" + key + "' must be an array of [event_id, hashes] pairs");
        }
        List<EventId> ids = new ArrayList<>(node.size());
        for (JsonNode item : node) {
            if (!item.isArray() || item.isEmpty() || !item.get(0).isTextual()) {
                throw new InvalidEventException("event key '" + key + "' must be an array of [event_id, hashes] pairs");
            }
            ids.add(eventId(key, item.get(0).textValue()));
        }
        return List.copyOf(ids);
    }

    static Optional<EventId> topLevelRedacts(ObjectNode json) {
        JsonNode node = json.get("redacts");
        if (node == null || !node.isTextual()) {
            return Optional.empty();
        }
        return Optional.of(eventId("redacts", node.textValue()));
    }
}
