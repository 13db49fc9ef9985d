package dev.myelin.server.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.myelin.http.error.MatrixException;
import java.util.Optional;

/**
 * Typed reads of request body fields. A field of the wrong type is {@code M_BAD_JSON} and a
 * missing required one {@code M_MISSING_PARAM}, each naming the field.
 */
public final class JsonFields {
    private JsonFields() {}

    public static Optional<String> optionalString(ObjectNode body, String field) {
        JsonNode node = body.get(field);
        if (node == null || node.isNull()) {
            return Optional.empty();
        }
        if (!node.isTextual()) {
            throw MatrixException.badJson("'" + field + "' must be a string");
        }
        return Optional.of(node.textValue());
    }

    public static String requireString(ObjectNode body, String field) {
        return optionalString(body, field).orElseThrow(() -> MatrixException.missingParam(field));
    }

    public static boolean optionalBoolean(ObjectNode body, String field, boolean defaultValue) {
        JsonNode node = body.get(field);
        if (node == null || node.isNull()) {
            return defaultValue;
        }
        if (!node.isBoolean()) {
            throw MatrixException.badJson("'" + field + "' must be a boolean");
        }
        return node.booleanValue();
    }

    public static Optional<Long> optionalLong(ObjectNode body, String field) {
        JsonNode node = body.get(field);
        if (node == null || node.isNull()) {
            return Optional.empty();
        }
        if (!node.isIntegralNumber() || !node.canConvertToLong()) {
            throw MatrixException.badJson("'" + field + "' must be an integer");
        }
        return Optional.of(node.longValue());
    }

    public static Optional<ObjectNode> optionalObject(ObjectNode body, String field) {
        JsonNode node = body.get(field);
        if (node == null || node.isNull()) {
            return Optional.empty();
        }
        if (!node.isObject()) {
            throw MatrixException.badJson("'" + field + "' must be an object");
        }
        return Optional.of((ObjectNode) node);
    }
}
