package dev.myelin.core.event.content;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.myelin.core.id.InvalidIdentifierException;
import dev.myelin.core.id.UserId;
import java.util.Optional;

/** Lenient readers for event content: a key of the wrong type reads as absent. */
final class Json {
    private Json() {}

    static Optional<String> text(JsonNode object, String key) {
        JsonNode node = object == null ? null : object.get(key);
        return node != null && node.isTextual() ? Optional.of(node.textValue()) : Optional.empty();
    }

    static Optional<Boolean> bool(JsonNode object, String key) {
        JsonNode node = object == null ? null : object.get(key);
        return node != null && node.isBoolean() ? Optional.of(node.booleanValue()) : Optional.empty();
    }

    static Optional<ObjectNode> object(JsonNode object, String key) {
        JsonNode node = object == null ? null : object.get(key);
        return node != null && node.isObject() ? Optional.of((ObjectNode) node) : Optional.empty();
    }

    static Optional<UserId> userId(JsonNode object, String key) {
        return text(object, key).flatMap(Json::parseUserId);
    }

    static Optional<UserId> parseUserId(String value) {
        try {
            return Optional.of(UserId.parse(value));
        } catch (InvalidIdentifierException e) {
            return Optional.empty();
        }
    }
}
