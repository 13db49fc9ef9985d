package dev.myelin.server.api.client.keys;

import dev.myelin.http.endpoint.EndpointSpec;
import dev.myelin.http.endpoint.JsonEndpoint;
import dev.myelin.http.error.MatrixException;
import dev.myelin.http.server.MatrixRequest;
import dev.myelin.http.server.Requester;
import dev.myelin.server.handler.keys.KeysHandler;
import dev.myelin.server.handler.keys.KeysUpload;
import dev.myelin.server.handler.keys.OneTimeKeyCounts;

/**
 * {@code POST /_matrix/client/v3/keys/upload}: publishes the requesting device's identity keys, one-time
 * keys and fallback keys, and answers the device's unclaimed one-time key counts. The keys are signed
 * JSON and stay JSON objects (see {@link KeysUpload}).
 *
 * @see <a href="https://spec.matrix.org/v1.19/client-server-api/#post_matrixclientv3keysupload">spec</a>
 */
public final class UploadKeysEndpoint extends JsonEndpoint<KeysUpload, OneTimeKeyCounts> {
    /** The endpoint's definition, shared with clients. */
    public static final EndpointSpec<KeysUpload, OneTimeKeyCounts> SPEC =
            EndpointSpec.post("/_matrix/client/v3/keys/upload", KeysUpload.class, OneTimeKeyCounts.class);

    private final KeysHandler keys;

    public UploadKeysEndpoint(KeysHandler keys) {
        super(SPEC);
        this.keys = keys;
    }

    @Override
    protected OneTimeKeyCounts handle(MatrixRequest request, KeysUpload body) {
        Requester requester = request.requireRequester();
        return keys.upload(
                requester.userId(),
                requester
                        .deviceId()
                        .orElseThrow(
                                () -> MatrixException.invalidParam("access_token", "keys are uploaded by a device")),
                body);
    }
}
