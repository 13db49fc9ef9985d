package dev.myelin.server.handler.admin;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Optional;

/**
 * Typed reads of the optional fields of an admin API body, with Synapse's answer to a field of
 * the wrong type: 400 {@code M_INVALID_PARAM} naming the field. A field set to {@code null} counts
 * as absent.
 */
public final class AdminBody {
    private AdminBody() {}

    /** The boolean {@code field}, if present. */
    public static Optional<Boolean> bool(ObjectNode body, String field) {
        JsonNode value = body.get(field);
        if (value == null || value.isNull()) {
            return Optional.empty();
        }
        if (!value.isBoolean()) {
            throw AdminUsers.invalid("'" + field + "' parameter is not of type boolean");
        }
        return Optional.of(value.booleanValue());
    }

    /** The string {@code field}, if present. */
    public static Optional<String> string(ObjectNode body, String field) {
        JsonNode value = body.get(field);
        if (value == null || value.isNull()) {
            return Optional.empty();
        }
        if (!value.isTextual()) {
            throw AdminUsers.invalid("'" + field + "' parameter is not of type string");
        }
        return Optional.of(value.textValue());
    }

    /** The non-negative integer {@code field}, if present. */
    public static Optional<Long> count(ObjectNode body, String field) {
        JsonNode value = body.get(field);
        if (value == null || value.isNull()) {
            return Optional.empty();
        }
        if (!value.isIntegralNumber() || !value.canConvertToLong() || value.longValue() < 0) {
            throw AdminUsers.invalid(field + " must be a positive integer");
        }
        return Optional.of(value.longValue());
    }
}
