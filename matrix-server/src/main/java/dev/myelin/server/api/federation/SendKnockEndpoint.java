package dev.myelin.server.api.federation;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.myelin.core.id.EventId;
import dev.myelin.federation.api.FederationEndpoints;
import dev.myelin.federation.api.SendKnockResponse;
import dev.myelin.http.endpoint.JsonEndpoint;
import dev.myelin.http.error.MatrixException;
import dev.myelin.http.server.MatrixRequest;
import dev.myelin.server.handler.federation.ResidentJoins;

/**
 * {@code PUT /_matrix/federation/v1/send_knock/{roomId}/{eventId}}: another server's signed knock
 * event, answered with the room's stripped state.
 *
 * @see <a href="https://spec.matrix.org/v1.19/server-server-api/#put_matrixfederationv1send_knockroomideventid">spec</a>
 */
public final class SendKnockEndpoint extends JsonEndpoint<ObjectNode, SendKnockResponse> {
    private final ResidentJoins memberships;

    public SendKnockEndpoint(ResidentJoins memberships) {
        super(FederationEndpoints.SEND_KNOCK);
        this.memberships = memberships;
    }

    @Override
    protected SendKnockResponse handle(MatrixRequest request, ObjectNode body) {
        EventId eventId;
        try {
            eventId = EventId.parse(request.pathParam("eventId"));
        } catch (IllegalArgumentException e) {
            throw MatrixException.invalidParam("eventId", "not an event id");
        }
        return memberships.sendKnock(
                request.requireOrigin(), MakeJoinEndpoint.roomId(request.pathParam("roomId")), eventId, body);
    }
}
