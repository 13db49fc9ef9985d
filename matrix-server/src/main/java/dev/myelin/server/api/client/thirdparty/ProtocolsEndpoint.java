package dev.myelin.server.api.client.thirdparty;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.myelin.http.endpoint.EndpointSpec;
import dev.myelin.http.endpoint.JsonEndpoint;
import dev.myelin.http.endpoint.NoBody;
import dev.myelin.http.server.MatrixRequest;
import dev.myelin.server.handler.appservice.ThirdPartyLookups;

/**
 * {@code GET /_matrix/client/v3/thirdparty/protocols}: the third-party protocols the application
 * services bridge, by name, each as its services describe it ({@code {}} without any).
 *
 * @see <a href="https://spec.matrix.org/v1.19/client-server-api/#get_matrixclientv3thirdpartyprotocols">spec</a>
 */
public final class ProtocolsEndpoint extends JsonEndpoint<NoBody, ObjectNode> {
    /** The endpoint's definition, shared with clients. */
    public static final EndpointSpec<NoBody, ObjectNode> SPEC =
            EndpointSpec.get("/_matrix/client/v3/thirdparty/protocols", ObjectNode.class);

    private final ThirdPartyLookups lookups;

    public ProtocolsEndpoint(ThirdPartyLookups lookups) {
        super(SPEC);
        this.lookups = lookups;
    }

    @Override
    protected ObjectNode handle(MatrixRequest request, NoBody body) {
        request.requireRequester();
        ObjectNode out = JsonNodeFactory.instance.objectNode();
        lookups.protocols().forEach(out::set);
        return out;
    }
}
