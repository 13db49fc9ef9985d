package dev.myelin.server.api.client.voip;

import dev.myelin.http.endpoint.EmptyResponse;
import dev.myelin.http.endpoint.EndpointSpec;
import dev.myelin.http.endpoint.JsonEndpoint;
import dev.myelin.http.endpoint.NoBody;
import dev.myelin.http.server.MatrixRequest;

/**
 * {@code GET /_matrix/client/v3/voip/turnServer}: no TURN server is configured, so the answer is
 * {@code {}}, as Synapse answers without {@code turn_uris}; clients then call without a relay.
 *
 * @see <a href="https://spec.matrix.org/v1.19/client-server-api/#get_matrixclientv3voipturnserver">spec</a>
 */
public final class TurnServerEndpoint extends JsonEndpoint<NoBody, EmptyResponse> {
    /** The endpoint's definition, shared with clients. */
    public static final EndpointSpec<NoBody, EmptyResponse> SPEC =
            EndpointSpec.get("/_matrix/client/v3/voip/turnServer", EmptyResponse.class);

    public TurnServerEndpoint() {
        super(SPEC);
    }

    @Override
    protected EmptyResponse handle(MatrixRequest request, NoBody body) {
        request.requireRequester();
        return EmptyResponse.INSTANCE;
    }
}
