package dev.myelin.server.api.federation;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.myelin.http.endpoint.EndpointJson;
import dev.myelin.http.endpoint.EndpointSpec;
import dev.myelin.http.endpoint.JsonEndpoint;
import dev.myelin.http.server.MatrixRequest;
import dev.myelin.server.handler.keys.KeysHandler;
import dev.myelin.server.handler.keys.KeysQuery;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * {@code POST /_matrix/federation/v1/user/keys/query}: the device keys, master keys and
 * self-signing keys of this server's users, for another server whose users want to encrypt for
 * them. Signed with X-Matrix. Asking for a user of another server is 400 {@code M_INVALID_PARAM}.
 *
 * @see <a href="https://spec.matrix.org/v1.19/server-server-api/#post_matrixfederationv1userkeysquery">spec</a>
 */
public final class UserKeysQueryEndpoint extends JsonEndpoint<KeysQuery, UserKeysQueryEndpoint.Response> {
    /** The endpoint's definition, shared with clients. */
    public static final EndpointSpec<KeysQuery, Response> SPEC = EndpointSpec.post(
                    "/_matrix/federation/v1/user/keys/query", KeysQuery.class, Response.class)
            .serverAuth();

    /**
     * The keys of the users asked for. The keys are signed JSON and stay JSON objects.
     *
     * @param deviceKeys device keys by user id and device id; every user asked for is present
     * @param masterKeys master keys by user id ({@code null} when another server leaves it out)
     * @param selfSigningKeys self-signing keys by user id ({@code null} when another server leaves
     *     it out)
     */
    public record Response(
            Map<String, Map<String, ObjectNode>> deviceKeys,
            @Nullable Map<String, ObjectNode> masterKeys,
            @Nullable Map<String, ObjectNode> selfSigningKeys) {

        /** Requires {@code device_keys}, so that an answer without it counts as a malformed one. */
        public Response {
            EndpointJson.required(deviceKeys, "device_keys");
        }
    }

    private final KeysHandler keys;

    public UserKeysQueryEndpoint(KeysHandler keys) {
        super(SPEC);
        this.keys = keys;
    }

    @Override
    protected Response handle(MatrixRequest request, KeysQuery body) {
        request.requireOrigin();
        return keys.queryForServer(body);
    }
}
