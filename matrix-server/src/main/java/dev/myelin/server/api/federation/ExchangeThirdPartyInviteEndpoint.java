package dev.myelin.server.api.federation;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.myelin.federation.api.FederationEndpoints;
import dev.myelin.http.endpoint.EndpointSpec;
import dev.myelin.http.endpoint.JsonEndpoint;
import dev.myelin.http.error.MatrixException;
import dev.myelin.http.server.MatrixRequest;
import dev.myelin.server.handler.threepid.ThirdPartyBinds;

/**
 * {@code PUT /_matrix/federation/v1/exchange_third_party_invite/{roomId}}: the bound user's server
 * asks this one, the inviter's, to make the invite of a third-party invite; the checks are {@link
 * ThirdPartyBinds#exchange}'s.
 *
 * @see <a href="https://spec.matrix.org/v1.19/server-server-api/#put_matrixfederationv1exchange_third_party_inviteroomid">spec</a>
 */
public final class ExchangeThirdPartyInviteEndpoint extends JsonEndpoint<ObjectNode, ObjectNode> {
    /** The endpoint's definition, shared with clients. */
    public static final EndpointSpec<ObjectNode, ObjectNode> SPEC = FederationEndpoints.EXCHANGE_THIRD_PARTY_INVITE;

    private final ThirdPartyBinds binds;

    public ExchangeThirdPartyInviteEndpoint(ThirdPartyBinds binds) {
        super(SPEC);
        this.binds = binds;
    }

    @Override
    protected ObjectNode handle(MatrixRequest request, ObjectNode body) {
        request.requireOrigin();
        if (!request.pathParam("roomId").equals(body.path("room_id").asText())) {
            throw MatrixException.invalidParam("room_id", "is not the room of the path");
        }
        binds.exchange(body);
        return JsonNodeFactory.instance.objectNode();
    }
}
