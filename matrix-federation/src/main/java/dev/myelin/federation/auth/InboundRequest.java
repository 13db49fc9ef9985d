package dev.myelin.federation.auth;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * What {@link RequestVerifier} needs of a received federation request.
 *
 * @param method the HTTP method, e.g. {@code PUT}
 * @param uri the request target exactly as received: path and, when present, {@code ?} and query
 * @param authorization every {@code Authorization} header value, in the order received
 * @param content the parsed JSON body, when the request has one
 */
public record InboundRequest(String method, String uri, List<String> authorization, Optional<JsonNode> content) {
    /** Copies the header list; every part is required. */
    public InboundRequest {
        Objects.requireNonNull(method, "method");
        Objects.requireNonNull(uri, "uri");
        authorization = List.copyOf(authorization);
        Objects.requireNonNull(content, "content");
    }
}
