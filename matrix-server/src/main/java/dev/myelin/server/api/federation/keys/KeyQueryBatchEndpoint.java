package dev.myelin.server.api.federation.keys;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.myelin.core.id.InvalidIdentifierException;
import dev.myelin.core.id.ServerName;
import dev.myelin.core.id.SigningKeyId;
import dev.myelin.federation.api.FederationEndpoints;
import dev.myelin.federation.api.KeyQueryResponse;
import dev.myelin.http.endpoint.EndpointSpec;
import dev.myelin.http.endpoint.JsonEndpoint;
import dev.myelin.http.error.MatrixException;
import dev.myelin.http.server.MatrixRequest;
import dev.myelin.server.handler.federation.KeyNotary;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Set;

/**
 * {@code POST /_matrix/key/v2/query}: several servers' keys through this notary at once. The body
 * is {@code {"server_keys": {server: {key_id: {"minimum_valid_until_ts": ts}}}}}; an empty key-id
 * object asks for every key of the server. No authentication: the answer is signed.
 *
 * @see <a href="https://spec.matrix.org/v1.19/server-server-api/#post_matrixkeyv2query">spec</a>
 */
public final class KeyQueryBatchEndpoint extends JsonEndpoint<ObjectNode, KeyQueryResponse> {
    /** The endpoint's definition, shared with clients. */
    public static final EndpointSpec<ObjectNode, KeyQueryResponse> SPEC = FederationEndpoints.KEY_QUERY;

    private final KeyNotary notary;

    public KeyQueryBatchEndpoint(KeyNotary notary) {
        super(SPEC);
        this.notary = notary;
    }

    @Override
    protected KeyQueryResponse handle(MatrixRequest request, ObjectNode body) {
        JsonNode serverKeys = body.get("server_keys");
        if (!(serverKeys instanceof ObjectNode servers)) {
            throw MatrixException.badJson("server_keys must be an object");
        }
        Map<ServerName, KeyNotary.Query> queries = new LinkedHashMap<>();
        for (Map.Entry<String, JsonNode> server : servers.properties()) {
            ServerName name;
            try {
                name = ServerName.parse(server.getKey());
            } catch (InvalidIdentifierException e) {
                throw MatrixException.invalidParam("server_keys", server.getKey() + " is not a server name");
            }
            if (!(server.getValue() instanceof ObjectNode keys)) {
                throw MatrixException.badJson("server_keys." + server.getKey() + " must be an object");
            }
            Set<SigningKeyId> keyIds = new HashSet<>();
            OptionalLong minimum = OptionalLong.empty();
            for (Map.Entry<String, JsonNode> key : keys.properties()) {
                try {
                    keyIds.add(SigningKeyId.parse(key.getKey()));
                } catch (InvalidIdentifierException e) {
                    throw MatrixException.invalidParam("server_keys", key.getKey() + " is not a key id");
                }
                if (!(key.getValue() instanceof ObjectNode criteria)) {
                    throw MatrixException.badJson(
                            "server_keys." + server.getKey() + "." + key.getKey() + " must be an object");
                }
                JsonNode ts = criteria.get("minimum_valid_until_ts");
                if (ts != null && !ts.isNull()) {
                    if (!ts.isIntegralNumber() || !ts.canConvertToLong()) {
                        throw MatrixException.badJson("minimum_valid_until_ts must be an integer");
                    }
                    minimum = OptionalLong.of(Math.max(minimum.orElse(Long.MIN_VALUE), ts.longValue()));
                }
            }
            queries.put(name, new KeyNotary.Query(keyIds, minimum));
        }
        return new KeyQueryResponse(notary.query(queries));
    }
}
