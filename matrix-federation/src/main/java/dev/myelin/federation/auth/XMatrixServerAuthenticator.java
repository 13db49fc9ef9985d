package dev.myelin.federation.auth;

import com.fasterxml.jackson.databind.JsonNode;
import dev.myelin.core.id.ServerName;
import dev.myelin.core.json.CanonicalJson;
import dev.myelin.http.error.MatrixException;
import dev.myelin.http.server.MatrixRequest;
import dev.myelin.http.server.ServerAuthenticator;
import java.util.Objects;
import java.util.Optional;

/**
 * The HTTP layer's check of requests to federation endpoints: the request as received (method,
 * path and query with their percent-encoding, {@code Authorization} headers, JSON body) goes to
 * the {@link RequestVerifier}, whose refusal becomes 401 {@code M_UNAUTHORIZED} with its reason.
 * A body that is not JSON is 400 {@code M_NOT_JSON}: nothing could have signed it.
 */
public final class XMatrixServerAuthenticator implements ServerAuthenticator {
    private final RequestVerifier verifier;

    /** An authenticator checking with {@code verifier}. */
    public XMatrixServerAuthenticator(RequestVerifier verifier) {
        this.verifier = Objects.requireNonNull(verifier, "verifier");
    }

    @Override
    public ServerName authenticate(MatrixRequest request) {
        String uri = request.rawPath() + request.rawQuery().map(q -> "?" + q).orElse("");
        byte[] body = request.bodyBytes();
        Optional<JsonNode> content = Optional.empty();
        if (body.length > 0) {
            try {
                content = Optional.of(CanonicalJson.parse(body));
            } catch (RuntimeException e) {
                throw MatrixException.notJson("Content not JSON.");
            }
        }
        InboundRequest inbound =
                new InboundRequest(request.method().name(), uri, request.headers("Authorization"), content);
        return verifier.verify(inbound).join().originOrThrow();
    }
}
