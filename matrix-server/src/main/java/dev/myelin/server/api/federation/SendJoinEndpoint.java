package dev.myelin.server.api.federation;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.myelin.federation.api.FederationEndpoints;
import dev.myelin.federation.api.SendJoinResponse;
import dev.myelin.http.endpoint.JsonEndpoint;
import dev.myelin.http.server.MatrixRequest;
import dev.myelin.server.handler.federation.ResidentJoins;

/**
 * {@code PUT /_matrix/federation/v2/send_join/{roomId}/{eventId}}: another server's signed join
 * event, answered with the room's state before it and its auth chain.
 *
 * @see <a href="https://spec.matrix.org/v1.19/server-server-api/#put_matrixfederationv2send_joinroomideventid">spec</a>
 */
public final class SendJoinEndpoint extends JsonEndpoint<ObjectNode, SendJoinResponse> {
    private final ResidentJoins joins;

    public SendJoinEndpoint(ResidentJoins joins) {
        super(FederationEndpoints.SEND_JOIN);
        this.joins = joins;
    }

    @Override
    protected SendJoinResponse handle(MatrixRequest request, ObjectNode body) {
        // compared with the event's own id once the event is checked: a bad event is named first
        String eventId = request.pathParam("eventId");
        return joins.sendJoin(
                request.requireOrigin(), MakeJoinEndpoint.roomId(request.pathParam("roomId")), eventId, body);
    }
}
