package dev.myelin.storage.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.myelin.storage.StorageException;

/** JSON columns: objects are stored as their compact text and read back as {@link ObjectNode}s. */
public final class Json {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private Json() {}

    /** The compact text of {@code node}. */
    public static String write(JsonNode node) {
        try {
            return MAPPER.writeValueAsString(node);
        } catch (JsonProcessingException e) {
            throw new StorageException("cannot serialise JSON: " + e.getMessage(), e);
        }
    }

    /** Parses a stored JSON object. */
    public static ObjectNode readObject(String text) {
        try {
            JsonNode node = MAPPER.readTree(text);
            if (!(node instanceof ObjectNode object)) {
                throw new StorageException("stored JSON is not an object: " + text);
            }
            return object;
        } catch (JsonProcessingException e) {
            throw new StorageException("stored JSON does not parse: " + e.getMessage(), e);
        }
    }

    /** Parses any stored JSON value (object, string, ...). */
    public static JsonNode readNode(String text) {
        try {
            return MAPPER.readTree(text);
        } catch (JsonProcessingException e) {
            throw new StorageException("stored JSON does not parse: " + e.getMessage(), e);
        }
    }

    /** A new empty object. */
    public static ObjectNode object() {
        return MAPPER.createObjectNode();
    }
}
