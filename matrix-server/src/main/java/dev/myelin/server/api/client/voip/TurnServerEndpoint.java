package dev.myelin.server.api.client.voip;

import dev.myelin.http.server.Endpoint;
import dev.myelin.http.server.HttpMethod;
import dev.myelin.http.server.MatrixRequest;
import dev.myelin.http.server.MatrixResponse;

/**
 * {@code GET /_matrix/client/v3/voip/turnServer}: no TURN server is configured, so the answer is
 * {@code {}}, as Synapse answers without {@code turn_uris}; clients then call without a relay.
 *
 * @see <a href="https://spec.matrix.org/v1.19/client-server-api/#get_matrixclientv3voipturnserver">spec</a>
 */
public final class TurnServerEndpoint implements Endpoint {
    @Override
    public HttpMethod method() {
        return HttpMethod.GET;
    }

    @Override
    public String path() {
        return "/_matrix/client/v3/voip/turnServer";
    }

    @Override
    public MatrixResponse handle(MatrixRequest request) {
        request.requireRequester();
        return MatrixResponse.ok();
    }
}
