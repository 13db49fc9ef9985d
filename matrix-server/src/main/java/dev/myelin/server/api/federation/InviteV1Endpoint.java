package dev.myelin.server.api.federation;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.myelin.core.room.RoomVersions;
import dev.myelin.federation.api.FederationEndpoints;
import dev.myelin.http.endpoint.EndpointSpec;
import dev.myelin.http.endpoint.JsonEndpoint;
import dev.myelin.http.server.MatrixRequest;
import dev.myelin.server.handler.federation.InboundInvites;

/**
 * {@code PUT /_matrix/federation/v1/invite/{roomId}/{eventId}}: the invite endpoint of servers
 * older than the v2 one, for rooms of version 1 (it names no version; Synapse assumes 1 too): the
 * body is the event, with the stripped state in its {@code unsigned.invite_room_state}; the answer
 * is {@code [200, {"event"}]}.
 *
 * @see <a href="https://spec.matrix.org/v1.19/server-server-api/#put_matrixfederationv1inviteroomideventid">spec</a>
 */
public final class InviteV1Endpoint extends JsonEndpoint<ObjectNode, JsonNode> {
    /** The endpoint's definition, shared with clients. */
    public static final EndpointSpec<ObjectNode, JsonNode> SPEC = FederationEndpoints.INVITE_V1;

    private final InboundInvites invites;

    public InviteV1Endpoint(InboundInvites invites) {
        super(SPEC);
        this.invites = invites;
    }

    @Override
    protected JsonNode handle(MatrixRequest request, ObjectNode body) {
        ObjectNode signed = invites.receive(new InboundInvites.Invite(
                request.requireOrigin(),
                request.pathParam("roomId"),
                request.pathParam("eventId"),
                RoomVersions.V1.id(),
                body,
                body.path("unsigned").path("invite_room_state")));
        ArrayNode answer = JsonNodeFactory.instance.arrayNode();
        answer.add(200);
        answer.addObject().set("event", signed);
        return answer;
    }
}
