package dev.myelin.server.api.client.thirdparty;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.myelin.http.endpoint.EndpointSpec;
import dev.myelin.http.endpoint.JsonEndpoint;
import dev.myelin.http.endpoint.NoBody;
import dev.myelin.http.server.MatrixRequest;
import dev.myelin.server.handler.appservice.ThirdPartyLookups;

/**
 * {@code GET /_matrix/client/v3/thirdparty/user?userid=} and {@code
 * .../thirdparty/location?alias=}: the third-party users or locations a Matrix user or room alias
 * stands for, from every application service that bridges a protocol; the parameter is required
 * (400 {@code M_MISSING_PARAM}).
 *
 * @see <a href="https://spec.matrix.org/v1.19/client-server-api/#get_matrixclientv3thirdpartyuser">users</a>
 * @see <a href="https://spec.matrix.org/v1.19/client-server-api/#get_matrixclientv3thirdpartylocation">locations</a>
 */
public final class ReverseLookupEndpoint extends JsonEndpoint<NoBody, ArrayNode> {
    /** The user lookup's definition, shared with clients. */
    public static final EndpointSpec<NoBody, ArrayNode> USER =
            EndpointSpec.get("/_matrix/client/v3/thirdparty/user", ArrayNode.class);
    /** The location lookup's definition, shared with clients. */
    public static final EndpointSpec<NoBody, ArrayNode> LOCATION =
            EndpointSpec.get("/_matrix/client/v3/thirdparty/location", ArrayNode.class);

    private final ThirdPartyLookups lookups;
    private final ThirdPartyLookups.Kind kind;

    public ReverseLookupEndpoint(ThirdPartyLookups lookups, ThirdPartyLookups.Kind kind) {
        super(kind == ThirdPartyLookups.Kind.USER ? USER : LOCATION);
        this.lookups = lookups;
        this.kind = kind;
    }

    @Override
    protected ArrayNode handle(MatrixRequest request, NoBody body) {
        request.requireRequester();
        String value = request.requireQueryParam(kind == ThirdPartyLookups.Kind.USER ? "userid" : "alias");
        ArrayNode out = JsonNodeFactory.instance.arrayNode();
        out.addAll(lookups.reverseLookup(kind, value));
        return out;
    }
}
