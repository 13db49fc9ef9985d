package dev.myelin.server.api.client.thirdparty;

import dev.myelin.http.endpoint.EmptyResponse;
import dev.myelin.http.endpoint.EndpointSpec;
import dev.myelin.http.endpoint.JsonEndpoint;
import dev.myelin.http.endpoint.NoBody;
import dev.myelin.http.server.MatrixRequest;

/**
 * {@code GET /_matrix/client/v3/thirdparty/protocols}: the bridged protocols, which come from
 * application services; there are none, so {@code {}}.
 *
 * @see <a href="https://spec.matrix.org/v1.19/client-server-api/#get_matrixclientv3thirdpartyprotocols">spec</a>
 */
public final class ProtocolsEndpoint extends JsonEndpoint<NoBody, EmptyResponse> {
    /** The endpoint's definition, shared with clients. */
    public static final EndpointSpec<NoBody, EmptyResponse> SPEC =
            EndpointSpec.get("/_matrix/client/v3/thirdparty/protocols", EmptyResponse.class);

    public ProtocolsEndpoint() {
        super(SPEC);
    }

    @Override
    protected EmptyResponse handle(MatrixRequest request, NoBody body) {
        request.requireRequester();
        return EmptyResponse.INSTANCE;
    }
}
