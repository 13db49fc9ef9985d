package dev.myelin.server.api.client.thirdparty;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.myelin.http.endpoint.EndpointSpec;
import dev.myelin.http.endpoint.JsonEndpoint;
import dev.myelin.http.endpoint.NoBody;
import dev.myelin.http.server.MatrixRequest;
import dev.myelin.server.handler.appservice.ThirdPartyLookups;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code GET /_matrix/client/v3/thirdparty/user/{protocol}} and {@code
 * .../thirdparty/location/{protocol}}: the users or locations of a protocol matching the query's
 * fields, which are passed on to every application service bridging it as they are (but the
 * access token); the answers of all of them, one list.
 *
 * @see <a href="https://spec.matrix.org/v1.19/client-server-api/#get_matrixclientv3thirdpartyuserprotocol">users</a>
 * @see <a href="https://spec.matrix.org/v1.19/client-server-api/#get_matrixclientv3thirdpartylocationprotocol">locations</a>
 */
public final class ThirdPartyLookupEndpoint extends JsonEndpoint<NoBody, ArrayNode> {
    /** The user lookup's definition, shared with clients. */
    public static final EndpointSpec<NoBody, ArrayNode> USER =
            EndpointSpec.get("/_matrix/client/v3/thirdparty/user/{protocol}", ArrayNode.class);
    /** The location lookup's definition, shared with clients. */
    public static final EndpointSpec<NoBody, ArrayNode> LOCATION =
            EndpointSpec.get("/_matrix/client/v3/thirdparty/location/{protocol}", ArrayNode.class);

    private final ThirdPartyLookups lookups;
    private final ThirdPartyLookups.Kind kind;

    public ThirdPartyLookupEndpoint(ThirdPartyLookups lookups, ThirdPartyLookups.Kind kind) {
        super(kind == ThirdPartyLookups.Kind.USER ? USER : LOCATION);
        this.lookups = lookups;
        this.kind = kind;
    }

    @Override
    protected ArrayNode handle(MatrixRequest request, NoBody body) {
        request.requireRequester();
        Map<String, List<String>> fields = new LinkedHashMap<>(request.args());
        fields.remove("access_token");
        ArrayNode out = JsonNodeFactory.instance.arrayNode();
        out.addAll(lookups.lookup(kind, request.pathParam("protocol"), fields));
        return out;
    }
}
