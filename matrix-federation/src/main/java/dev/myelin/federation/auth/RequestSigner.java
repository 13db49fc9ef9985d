package dev.myelin.federation.auth;

import com.fasterxml.jackson.databind.JsonNode;
import dev.myelin.core.crypto.JsonSigning;
import dev.myelin.core.crypto.SigningKey;
import dev.myelin.core.id.ServerName;
import java.util.Objects;
import java.util.Optional;

/**
 * Signs this server's outgoing federation requests: the method, the request target, both server
 * names and the JSON body go into one object, signed with the server's key, and the signature
 * travels in an X-Matrix {@code Authorization} header.
 *
 * <p>The server names are the ones before delegation: the destination is the name the request is
 * addressed to, not the host that {@code .well-known} or SRV records led to.
 *
 * @see <a href="https://spec.matrix.org/v1.19/server-server-api/#request-authentication">Request Authentication</a>
 */
public final class RequestSigner {
    private final ServerName origin;
    private final SigningKey key;

    /** A signer for requests from {@code origin}, signed with {@code key}. */
    public RequestSigner(ServerName origin, SigningKey key) {
        this.origin = Objects.requireNonNull(origin, "origin");
        this.key = Objects.requireNonNull(key, "key");
    }

    /**
     * The authorisation for one request.
     *
     * @param method the HTTP method, e.g. {@code PUT}
     * @param uri the request target exactly as sent: the path from {@code /_matrix/} with its
     *     percent-encoding, then {@code ?} and the query when there is one; no scheme or host
     * @param destination the server the request is for
     * @param content the JSON body, when the request has one
     * @return the header value's parts; {@link XMatrixAuthorization#format()} writes the header
     * @throws dev.myelin.core.json.CanonicalJsonException if {@code content} holds a value canonical
     *     JSON cannot encode (a float, an out-of-range integer)
     */
    public XMatrixAuthorization sign(String method, String uri, ServerName destination, Optional<JsonNode> content) {
        Objects.requireNonNull(method, "method");
        Objects.requireNonNull(uri, "uri");
        Objects.requireNonNull(destination, "destination");
        Objects.requireNonNull(content, "content");
        String signature =
                JsonSigning.signature(RequestJson.of(method, uri, origin, Optional.of(destination), content), key);
        return new XMatrixAuthorization(origin, Optional.of(destination), key.keyId(), signature);
    }

    /** As {@link #sign}, for a request without a body. */
    public XMatrixAuthorization sign(String method, String uri, ServerName destination) {
        return sign(method, uri, destination, Optional.empty());
    }
}
