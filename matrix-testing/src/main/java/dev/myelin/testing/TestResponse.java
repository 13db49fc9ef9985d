package dev.myelin.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.MissingNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * A response from the in-process homeserver: status, headers and body, with the body parsed as
 * JSON when it is JSON.
 */
public record TestResponse(int status, Map<String, String> headers, String body) {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    /** The JSON body, or a missing node when the body is empty or not JSON. */
    public JsonNode json() {
        if (body.isEmpty()) {
            return MissingNode.getInstance();
        }
        try {
            return MAPPER.readTree(body);
        } catch (IOException e) {
            return MissingNode.getInstance();
        }
    }

    /** The {@code errcode} of an error response, or null. */
    public @Nullable String errcode() {
        return json().path("errcode").asText(null);
    }

    /**
     * A response header, matched case-insensitively.
     *
     * @param name the header name
     * @return its value, or null when absent
     */
    public @Nullable String header(String name) {
        for (Map.Entry<String, String> e : headers.entrySet()) {
            if (e.getKey().equalsIgnoreCase(name)) {
                return e.getValue();
            }
        }
        return null;
    }

    /** Throws with the whole response when the status is not {@code expected}, for readable failures. */
    public TestResponse expect(int expected) {
        if (status != expected) {
            throw new AssertionError("expected HTTP " + expected + " but got " + status + ": " + body);
        }
        return this;
    }

    static String write(Object json) {
        try {
            return MAPPER.writeValueAsString(json);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
