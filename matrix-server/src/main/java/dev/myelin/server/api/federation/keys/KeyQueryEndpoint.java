package dev.myelin.server.api.federation.keys;

import dev.myelin.core.id.InvalidIdentifierException;
import dev.myelin.core.id.ServerName;
import dev.myelin.core.id.SigningKeyId;
import dev.myelin.federation.api.KeyQueryResponse;
import dev.myelin.http.endpoint.EndpointSpec;
import dev.myelin.http.endpoint.JsonEndpoint;
import dev.myelin.http.endpoint.NoBody;
import dev.myelin.http.error.MatrixException;
import dev.myelin.http.server.MatrixRequest;
import dev.myelin.server.handler.federation.KeyNotary;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Set;

/**
 * {@code GET /_matrix/key/v2/query/{serverName}}: another server's keys through this one, the
 * notary, with an optional {@code minimum_valid_until_ts} query parameter. No authentication: the
 * answer is signed. With {@code keyId}, the deprecated form {@code /query/{serverName}/{keyId}}.
 *
 * @see <a href="https://spec.matrix.org/v1.19/server-server-api/#get_matrixkeyv2queryservername">spec</a>
 */
public final class KeyQueryEndpoint extends JsonEndpoint<NoBody, KeyQueryResponse> {
    /** The endpoint's definition, shared with clients. */
    public static final EndpointSpec<NoBody, KeyQueryResponse> SPEC = EndpointSpec.get(
                    "/_matrix/key/v2/query/{serverName}", KeyQueryResponse.class)
            .noAuth();

    /** The deprecated form with a key id (spec v1.0), still sent by older servers. */
    public static final EndpointSpec<NoBody, KeyQueryResponse> BY_KEY_ID_SPEC = EndpointSpec.get(
                    "/_matrix/key/v2/query/{serverName}/{keyId}", KeyQueryResponse.class)
            .noAuth();

    private final KeyNotary notary;
    private final boolean byKeyId;

    /** The endpoint, with the key id in the path when {@code byKeyId}. */
    public KeyQueryEndpoint(KeyNotary notary, boolean byKeyId) {
        super(byKeyId ? BY_KEY_ID_SPEC : SPEC);
        this.notary = notary;
        this.byKeyId = byKeyId;
    }

    @Override
    protected KeyQueryResponse handle(MatrixRequest request, NoBody body) {
        ServerName server;
        try {
            server = ServerName.parse(request.pathParam("serverName"));
        } catch (InvalidIdentifierException e) {
            throw MatrixException.invalidParam("serverName", "not a server name");
        }
        Set<SigningKeyId> keyIds = Set.of();
        if (byKeyId) {
            try {
                keyIds = Set.of(SigningKeyId.parse(request.pathParam("keyId")));
            } catch (InvalidIdentifierException e) {
                throw MatrixException.invalidParam("keyId", "not a key id");
            }
        }
        OptionalLong minimum = OptionalLong.empty();
        var raw = request.queryParam("minimum_valid_until_ts");
        if (raw.isPresent()) {
            try {
                minimum = OptionalLong.of(Long.parseLong(raw.get()));
            } catch (NumberFormatException e) {
                throw MatrixException.invalidParam("minimum_valid_until_ts", "must be an integer");
            }
        }
        Map<ServerName, KeyNotary.Query> queries = new LinkedHashMap<>();
        queries.put(server, new KeyNotary.Query(keyIds, minimum));
        return new KeyQueryResponse(notary.query(queries));
    }
}
