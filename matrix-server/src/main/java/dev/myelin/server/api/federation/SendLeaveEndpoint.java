package dev.myelin.server.api.federation;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.myelin.federation.api.FederationEndpoints;
import dev.myelin.http.endpoint.JsonEndpoint;
import dev.myelin.http.server.MatrixRequest;
import dev.myelin.server.handler.federation.ResidentJoins;

/**
 * {@code PUT /_matrix/federation/v2/send_leave/{roomId}/{eventId}}: another server's signed leave
 * event.
 *
 * @see <a href="https://spec.matrix.org/v1.19/server-server-api/#put_matrixfederationv2send_leaveroomideventid">spec</a>
 */
public final class SendLeaveEndpoint extends JsonEndpoint<ObjectNode, ObjectNode> {
    private final ResidentJoins memberships;

    public SendLeaveEndpoint(ResidentJoins memberships) {
        super(FederationEndpoints.SEND_LEAVE);
        this.memberships = memberships;
    }

    @Override
    protected ObjectNode handle(MatrixRequest request, ObjectNode body) {
        // compared with the event's own id once the event is checked: a bad event is named first
        String eventId = request.pathParam("eventId");
        memberships.sendLeave(
                request.requireOrigin(), MakeJoinEndpoint.roomId(request.pathParam("roomId")), eventId, body);
        return JsonNodeFactory.instance.objectNode();
    }
}
