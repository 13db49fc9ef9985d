package dev.myelin.server.api.client.keys;

import dev.myelin.http.endpoint.EndpointSpec;
import dev.myelin.http.endpoint.JsonEndpoint;
import dev.myelin.http.server.MatrixRequest;
import dev.myelin.server.handler.keys.ClaimedKeys;
import dev.myelin.server.handler.keys.KeysClaim;
import dev.myelin.server.handler.keys.KeysHandler;

/**
 * {@code POST /_matrix/client/v3/keys/claim}: claims one-time keys (or else fallback keys) of other devices to start
 * Olm sessions with them. Each one-time key is handed out at most once.
 *
 * @see <a href="https://spec.matrix.org/v1.19/client-server-api/#post_matrixclientv3keysclaim">spec</a>
 */
public final class ClaimKeysEndpoint extends JsonEndpoint<KeysClaim, ClaimedKeys> {
    /** The endpoint's definition, shared with clients. */
    public static final EndpointSpec<KeysClaim, ClaimedKeys> SPEC =
            EndpointSpec.post("/_matrix/client/v3/keys/claim", KeysClaim.class, ClaimedKeys.class);

    private final KeysHandler keys;

    public ClaimKeysEndpoint(KeysHandler keys) {
        super(SPEC);
        this.keys = keys;
    }

    @Override
    protected ClaimedKeys handle(MatrixRequest request, KeysClaim body) {
        request.requireRequester();
        return keys.claim(body);
    }
}
