package dev.myelin.server.handler.keys;

import com.fasterxml.jackson.annotation.JsonAnyGetter;
import com.fasterxml.jackson.annotation.JsonAnySetter;
import com.fasterxml.jackson.databind.JsonNode;
import dev.myelin.core.id.UserId;
import dev.myelin.server.handler.RequestChecks;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The body of {@code POST /keys/signatures/upload}: user id, then key id, then the signed key. The
 * signed keys are signed JSON and stay JSON values; one that is not an object is reported under
 * that key's {@code failures} entry rather than failing the request, so it is not refused here.
 *
 * @param signed the signed keys by user id and key id (the body's top-level object)
 * @see <a href="https://spec.matrix.org/v1.19/client-server-api/#post_matrixclientv3keyssignaturesupload">spec</a>
 */
public record SignaturesUpload(@JsonAnySetter @JsonAnyGetter Map<String, Map<String, JsonNode>> signed) {

    /** Checks that every key is a user id with an object of signed keys. */
    public SignaturesUpload {
        signed = signed == null ? Map.of() : signed;
        RequestChecks.noNullValues(signed, "signatures");
        signed.keySet().forEach(user -> KeysHandler.userId(user, "signatures"));
    }

    /** The signed keys by user. */
    Map<UserId, Map<String, JsonNode>> byUser() {
        Map<UserId, Map<String, JsonNode>> out = new LinkedHashMap<>();
        signed.forEach((user, keys) -> out.put(UserId.parse(user), keys));
        return out;
    }
}
