package dev.myelin.server.api.client.keys;

import dev.myelin.http.endpoint.EndpointSpec;
import dev.myelin.http.endpoint.JsonEndpoint;
import dev.myelin.http.server.MatrixRequest;
import dev.myelin.server.handler.keys.KeysHandler;
import dev.myelin.server.handler.keys.KeysQuery;
import dev.myelin.server.handler.keys.KeysQueryResult;

/**
 * {@code POST /_matrix/client/v3/keys/query}: the device and cross-signing keys of users.
 *
 * @see <a href="https://spec.matrix.org/v1.19/client-server-api/#post_matrixclientv3keysquery">spec</a>
 */
public final class QueryKeysEndpoint extends JsonEndpoint<KeysQuery, KeysQueryResult> {
    /** The endpoint's definition, shared with clients. */
    public static final EndpointSpec<KeysQuery, KeysQueryResult> SPEC =
            EndpointSpec.post("/_matrix/client/v3/keys/query", KeysQuery.class, KeysQueryResult.class);

    private final KeysHandler keys;

    public QueryKeysEndpoint(KeysHandler keys) {
        super(SPEC);
        this.keys = keys;
    }

    @Override
    protected KeysQueryResult handle(MatrixRequest request, KeysQuery body) {
        return keys.query(request.requireRequester().userId(), body);
    }
}
