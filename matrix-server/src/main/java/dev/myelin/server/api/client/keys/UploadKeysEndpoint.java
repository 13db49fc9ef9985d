package dev.myelin.server.api.client.keys;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.myelin.http.error.MatrixException;
import dev.myelin.http.server.Endpoint;
import dev.myelin.http.server.HttpMethod;
import dev.myelin.http.server.MatrixRequest;
import dev.myelin.http.server.MatrixResponse;
import dev.myelin.http.server.Requester;
import dev.myelin.server.handler.keys.KeysHandler;

/**
 * {@code POST /_matrix/client/v3/keys/upload}: publishes the requesting device's identity keys, one-time
 * keys and fallback keys, and answers the device's unclaimed one-time key counts.
 *
 * @see <a href="https://spec.matrix.org/v1.19/client-server-api/#post_matrixclientv3keysupload">spec</a>
 */
public final class UploadKeysEndpoint implements Endpoint {
    private final KeysHandler keys;

    public UploadKeysEndpoint(KeysHandler keys) {
        this.keys = keys;
    }

    @Override
    public HttpMethod method() {
        return HttpMethod.POST;
    }

    @Override
    public String path() {
        return "/_matrix/client/v3/keys/upload";
    }

    @Override
    public MatrixResponse handle(MatrixRequest request) {
        Requester requester = request.requireRequester();
        ObjectNode body = request.jsonObject();
        return MatrixResponse.ok(keys.upload(requester.userId(), requester.deviceId().orElseThrow(
                () -> MatrixException.invalidParam("access_token", "keys are uploaded by a device")), body));
    }
}
