package dev.myelin.server.api.federation;

import com.fasterxml.jackson.databind.JsonNode;
import dev.myelin.http.endpoint.EndpointJson;
import dev.myelin.http.endpoint.EndpointSpec;
import dev.myelin.http.endpoint.JsonEndpoint;
import dev.myelin.http.server.MatrixRequest;
import dev.myelin.server.handler.keys.KeysClaim;
import dev.myelin.server.handler.keys.KeysHandler;
import java.util.Map;

/**
 * {@code POST /_matrix/federation/v1/user/keys/claim}: claims one-time keys (or else fallback
 * keys) of this server's users' devices for another server, whose users start Olm sessions with
 * them. Signed with X-Matrix. Each one-time key is handed out at most once; users, devices and
 * algorithms without a key, and users of other servers, are left out.
 *
 * @see <a href="https://spec.matrix.org/v1.19/server-server-api/#post_matrixfederationv1userkeysclaim">spec</a>
 */
public final class UserKeysClaimEndpoint extends JsonEndpoint<KeysClaim, UserKeysClaimEndpoint.Response> {
    /** The endpoint's definition, shared with clients. */
    public static final EndpointSpec<KeysClaim, Response> SPEC = EndpointSpec.post(
                    "/_matrix/federation/v1/user/keys/claim", KeysClaim.class, Response.class)
            .serverAuth();

    /**
     * The claimed keys. A key is a string or a signed key object, served as uploaded.
     *
     * @param oneTimeKeys the keys by user id, device id and {@code <algorithm>:<key id>}
     */
    public record Response(Map<String, Map<String, Map<String, JsonNode>>> oneTimeKeys) {

        /** Requires {@code one_time_keys}, so that an answer without it counts as a malformed one. */
        public Response {
            EndpointJson.required(oneTimeKeys, "one_time_keys");
        }
    }

    private final KeysHandler keys;

    public UserKeysClaimEndpoint(KeysHandler keys) {
        super(SPEC);
        this.keys = keys;
    }

    @Override
    protected Response handle(MatrixRequest request, KeysClaim body) {
        request.requireOrigin();
        return new Response(keys.claimLocal(body));
    }
}
