package dev.myelin.server.api.client.room;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.myelin.core.id.InvalidIdentifierException;
import dev.myelin.core.id.UserId;
import dev.myelin.http.error.MatrixException;
import dev.myelin.http.server.MatrixRequest;
import dev.myelin.server.api.JsonFields;
import java.util.Optional;

/** Request body helpers shared by the room endpoints. */
final class Bodies {
    private Bodies() {}

    /**
     * The JSON object body, or an empty object when there is no body: clients send membership
     * requests both with {@code {}} and with nothing, and Synapse accepts both.
     */
    static ObjectNode objectOrEmpty(MatrixRequest request) {
        if (request.bodyBytes().length == 0) {
            return JsonNodeFactory.instance.objectNode();
        }
        return request.jsonObject();
    }

    static Optional<String> reason(ObjectNode body) {
        return JsonFields.optionalString(body, "reason");
    }

    /** The required {@code user_id} of a body; 400 {@code M_INVALID_PARAM} when it is not a user id. */
    static UserId userId(ObjectNode body) {
        String value = JsonFields.requireString(body, "user_id");
        try {
            return UserId.parse(value);
        } catch (InvalidIdentifierException e) {
            throw MatrixException.invalidParam("user_id", e.getMessage());
        }
    }

    /** A non-negative integer query parameter, 400 {@code M_INVALID_PARAM} otherwise. */
    static Optional<Integer> intParam(MatrixRequest request, String name) {
        Optional<String> raw = request.queryParam(name);
        if (raw.isEmpty()) {
            return Optional.empty();
        }
        try {
            int value = Integer.parseInt(raw.get());
            if (value < 0) {
                throw MatrixException.invalidParam(name, "must not be negative");
            }
            return Optional.of(value);
        } catch (NumberFormatException e) {
            throw MatrixException.invalidParam(name, "must be an integer");
        }
    }

    static ObjectNode emptyObject() {
        return JsonNodeFactory.instance.objectNode();
    }
}
