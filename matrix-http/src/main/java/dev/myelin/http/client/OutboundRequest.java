package dev.myelin.http.client;

import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * A request for {@link MatrixHttpClient}.
 *
 * @param method the HTTP method, e.g. {@code GET}
 * @param uri an absolute {@code http} or {@code https} URI, or {@code replication://<instance>/<path>}
 *     for one of this homeserver's processes (see {@link InstanceAddress})
 * @param headers request headers
 * @param body the body and its content type, if any
 */
public record OutboundRequest(String method, URI uri, Map<String, List<String>> headers, Optional<Body> body) {

    /** Requires method, URI and body, and copies the headers. */
    public OutboundRequest {
        Objects.requireNonNull(method, "method");
        Objects.requireNonNull(uri, "uri");
        headers = Map.copyOf(headers);
        Objects.requireNonNull(body, "body");
    }

    /** A GET without headers. */
    public static OutboundRequest get(URI uri) {
        return new OutboundRequest("GET", uri, Map.of(), Optional.empty());
    }

    /**
     * A request body.
     *
     * @param contentType its media type
     * @param bytes its content
     */
    public record Body(String contentType, byte[] bytes) {
        /** Requires both parts. */
        public Body {
            Objects.requireNonNull(contentType, "contentType");
            Objects.requireNonNull(bytes, "bytes");
        }
    }
}
