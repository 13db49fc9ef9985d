package dev.myelin.http.client;

import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * A response received by {@link MatrixHttpClient}, body fully buffered (within the size limit).
 *
 * @param status the HTTP status
 * @param headers response headers, names lower-cased
 * @param body the body
 */
public record OutboundResponse(int status, Map<String, List<String>> headers, byte[] body) {

    /** Copies the headers and requires a body. */
    public OutboundResponse {
        headers = Map.copyOf(headers);
        Objects.requireNonNull(body, "body");
    }

    /** The first value of a header (case-insensitive). */
    public Optional<String> header(String name) {
        List<String> values = headers.get(name.toLowerCase(java.util.Locale.ROOT));
        return values == null || values.isEmpty() ? Optional.empty() : Optional.of(values.getFirst());
    }
}
