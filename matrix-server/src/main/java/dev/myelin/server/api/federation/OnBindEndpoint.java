package dev.myelin.server.api.federation;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.myelin.http.endpoint.EndpointSpec;
import dev.myelin.http.endpoint.JsonEndpoint;
import dev.myelin.http.server.HttpMethod;
import dev.myelin.http.server.MatrixRequest;
import dev.myelin.server.handler.threepid.ThirdPartyBinds;

/**
 * {@code PUT /_matrix/federation/v1/3pid/onbind} (and {@code POST}, which Synapse and identity
 * servers use): an identity server says an address was bound to a user of this server, with the
 * third-party invites waiting for it, each of which becomes an invite. It carries no server
 * authentication; what it asks is checked through the identity server's signature on each invite.
 *
 * @see <a href="https://spec.matrix.org/v1.19/server-server-api/#put_matrixfederationv13pidonbind">spec</a>
 */
public final class OnBindEndpoint extends JsonEndpoint<ObjectNode, ObjectNode> {
    private final ThirdPartyBinds binds;

    /** @param method {@code PUT} (the spec's) or {@code POST} */
    public OnBindEndpoint(HttpMethod method, ThirdPartyBinds binds) {
        super(EndpointSpec.of(method, "/_matrix/federation/v1/3pid/onbind", ObjectNode.class, ObjectNode.class)
                .noAuth());
        this.binds = binds;
    }

    @Override
    protected ObjectNode handle(MatrixRequest request, ObjectNode body) {
        binds.onBind(body);
        return JsonNodeFactory.instance.objectNode();
    }
}
