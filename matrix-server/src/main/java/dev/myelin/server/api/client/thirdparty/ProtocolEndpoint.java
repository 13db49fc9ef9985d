package dev.myelin.server.api.client.thirdparty;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.myelin.http.endpoint.EndpointSpec;
import dev.myelin.http.endpoint.JsonEndpoint;
import dev.myelin.http.endpoint.NoBody;
import dev.myelin.http.error.MatrixException;
import dev.myelin.http.server.MatrixRequest;
import dev.myelin.server.handler.appservice.ThirdPartyLookups;

/**
 * {@code GET /_matrix/client/v3/thirdparty/protocol/{protocol}}: one protocol as its application
 * services describe it; 404 {@code M_NOT_FOUND} when none bridges it (or none answered).
 *
 * @see <a href="https://spec.matrix.org/v1.19/client-server-api/#get_matrixclientv3thirdpartyprotocolprotocol">spec</a>
 */
public final class ProtocolEndpoint extends JsonEndpoint<NoBody, ObjectNode> {
    /** The endpoint's definition, shared with clients. */
    public static final EndpointSpec<NoBody, ObjectNode> SPEC =
            EndpointSpec.get("/_matrix/client/v3/thirdparty/protocol/{protocol}", ObjectNode.class);

    private final ThirdPartyLookups lookups;

    public ProtocolEndpoint(ThirdPartyLookups lookups) {
        super(SPEC);
        this.lookups = lookups;
    }

    @Override
    protected ObjectNode handle(MatrixRequest request, NoBody body) {
        request.requireRequester();
        return lookups.protocol(request.pathParam("protocol"))
                .orElseThrow(() -> MatrixException.notFound("Unknown protocol"));
    }
}
