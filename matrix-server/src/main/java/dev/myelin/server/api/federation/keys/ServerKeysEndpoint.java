package dev.myelin.server.api.federation.keys;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.myelin.federation.api.FederationEndpoints;
import dev.myelin.federation.keys.ServerKeyPublisher;
import dev.myelin.http.endpoint.EndpointSpec;
import dev.myelin.http.endpoint.JsonEndpoint;
import dev.myelin.http.endpoint.NoBody;
import dev.myelin.http.server.MatrixRequest;

/**
 * {@code GET /_matrix/key/v2/server}: this server's signing keys, its old keys and until when they
 * may be relied on, signed with the signing key. Anyone may ask, without authentication: other
 * servers and notaries fetch it before they can check anything this server signed.
 *
 * <p>The answer is free-form signed JSON rather than a record: what was signed must be sent exactly
 * as it was signed.
 *
 * @see <a href="https://spec.matrix.org/v1.19/server-server-api/#get_matrixkeyv2server">spec</a>
 */
public final class ServerKeysEndpoint extends JsonEndpoint<NoBody, ObjectNode> {
    /** The endpoint's definition, shared with clients. */
    public static final EndpointSpec<NoBody, ObjectNode> SPEC = FederationEndpoints.SERVER_KEYS;

    private final ServerKeyPublisher publisher;

    public ServerKeysEndpoint(ServerKeyPublisher publisher) {
        super(SPEC);
        this.publisher = publisher;
    }

    @Override
    protected ObjectNode handle(MatrixRequest request, NoBody body) {
        return publisher.response();
    }
}
