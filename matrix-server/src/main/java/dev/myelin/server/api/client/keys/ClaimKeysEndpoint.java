package dev.myelin.server.api.client.keys;

import dev.myelin.http.server.Endpoint;
import dev.myelin.http.server.HttpMethod;
import dev.myelin.http.server.MatrixRequest;
import dev.myelin.http.server.MatrixResponse;
import dev.myelin.server.handler.keys.KeysHandler;
/**
 * {@code POST /_matrix/client/v3/keys/claim}: claims one-time keys (or else fallback keys) of other devices to start
 * Olm sessions with them. Each one-time key is handed out at most once.
 *
 * @see <a href="https://spec.matrix.org/v1.19/client-server-api/#post_matrixclientv3keysclaim">spec</a>
 */
public final class ClaimKeysEndpoint implements Endpoint {
    private final KeysHandler keys;

    public ClaimKeysEndpoint(KeysHandler keys) {
        this.keys = keys;
    }

    @Override
    public HttpMethod method() {
        return HttpMethod.POST;
    }

    @Override
    public String path() {
        return "/_matrix/client/v3/keys/claim";
    }

    @Override
    public MatrixResponse handle(MatrixRequest request) {
        request.requireRequester();
        return MatrixResponse.ok(keys.claim(request.jsonObject()));
    }
}
