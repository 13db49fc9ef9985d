package dev.myelin.server.api.client.thirdparty;

import dev.myelin.http.server.Endpoint;
import dev.myelin.http.server.HttpMethod;
import dev.myelin.http.server.MatrixRequest;
import dev.myelin.http.server.MatrixResponse;

/**
 * {@code GET /_matrix/client/v3/thirdparty/protocols}: the bridged protocols, which come from
 * application services; there are none, so {@code {}}.
 *
 * @see <a href="https://spec.matrix.org/v1.19/client-server-api/#get_matrixclientv3thirdpartyprotocols">spec</a>
 */
public final class ProtocolsEndpoint implements Endpoint {
    @Override
    public HttpMethod method() {
        return HttpMethod.GET;
    }

    @Override
    public String path() {
        return "/_matrix/client/v3/thirdparty/protocols";
    }

    @Override
    public MatrixResponse handle(MatrixRequest request) {
        request.requireRequester();
        return MatrixResponse.ok();
    }
}
