package dev.myelin.server.api.client.keys;

import dev.myelin.http.server.Endpoint;
import dev.myelin.http.server.HttpMethod;
import dev.myelin.http.server.MatrixRequest;
import dev.myelin.http.server.MatrixResponse;
import dev.myelin.server.handler.keys.KeysHandler;
/**
 * {@code POST /_matrix/client/v3/keys/query}: the device and cross-signing keys of users.
 *
 * @see <a href="https://spec.matrix.org/v1.19/client-server-api/#post_matrixclientv3keysquery">spec</a>
 */
public final class QueryKeysEndpoint implements Endpoint {
    private final KeysHandler keys;

    public QueryKeysEndpoint(KeysHandler keys) {
        this.keys = keys;
    }

    @Override
    public HttpMethod method() {
        return HttpMethod.POST;
    }

    @Override
    public String path() {
        return "/_matrix/client/v3/keys/query";
    }

    @Override
    public MatrixResponse handle(MatrixRequest request) {
        return MatrixResponse.ok(keys.query(request.requireRequester().userId(), request.jsonObject()));
    }
}
