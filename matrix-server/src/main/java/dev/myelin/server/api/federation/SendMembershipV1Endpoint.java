package dev.myelin.server.api.federation;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.myelin.core.id.RoomId;
import dev.myelin.core.id.ServerName;
import dev.myelin.federation.api.FederationEndpoints;
import dev.myelin.http.endpoint.EndpointJson;
import dev.myelin.http.endpoint.JsonEndpoint;
import dev.myelin.http.server.MatrixRequest;
import dev.myelin.server.handler.federation.ResidentJoins;

/**
 * The v1 forms of {@code send_join} and {@code send_leave}: the same as v2, with the answer wrapped
 * as {@code [200, answer]}, as servers from before the v2 endpoints expect.
 *
 * @see <a href="https://spec.matrix.org/v1.19/server-server-api/#put_matrixfederationv1send_joinroomideventid">send_join v1</a>
 */
public final class SendMembershipV1Endpoint extends JsonEndpoint<ObjectNode, ArrayNode> {
    private final ResidentJoins memberships;
    private final boolean join;

    private SendMembershipV1Endpoint(ResidentJoins memberships, boolean join) {
        super(join ? FederationEndpoints.SEND_JOIN_V1 : FederationEndpoints.SEND_LEAVE_V1);
        this.memberships = memberships;
        this.join = join;
    }

    /** {@code PUT /_matrix/federation/v1/send_join/{roomId}/{eventId}}. */
    public static SendMembershipV1Endpoint join(ResidentJoins memberships) {
        return new SendMembershipV1Endpoint(memberships, true);
    }

    /** {@code PUT /_matrix/federation/v1/send_leave/{roomId}/{eventId}}. */
    public static SendMembershipV1Endpoint leave(ResidentJoins memberships) {
        return new SendMembershipV1Endpoint(memberships, false);
    }

    @Override
    protected ArrayNode handle(MatrixRequest request, ObjectNode body) {
        // compared with the event's own id once the event is checked: a bad event is named first
        String eventId = request.pathParam("eventId");
        ServerName origin = request.requireOrigin();
        RoomId room = MakeJoinEndpoint.roomId(request.pathParam("roomId"));
        JsonNode answer;
        if (join) {
            ObjectNode v2 = (ObjectNode) EndpointJson.toTree(memberships.sendJoin(origin, room, eventId, body));
            // v1 has neither of the v2 additions
            v2.remove("members_omitted");
            v2.remove("servers_in_room");
            v2.remove("event");
            answer = v2;
        } else {
            memberships.sendLeave(origin, room, eventId, body);
            answer = JsonNodeFactory.instance.objectNode();
        }
        ArrayNode wrapped = JsonNodeFactory.instance.arrayNode();
        wrapped.add(200);
        wrapped.add(answer);
        return wrapped;
    }
}
