package dev.myelin.server.api.federation;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.myelin.federation.api.FederationEndpoints;
import dev.myelin.http.endpoint.EndpointSpec;
import dev.myelin.http.endpoint.JsonEndpoint;
import dev.myelin.http.error.MatrixException;
import dev.myelin.http.server.MatrixRequest;
import dev.myelin.server.handler.federation.InboundInvites;

/**
 * {@code PUT /_matrix/federation/v2/invite/{roomId}/{eventId}}: another server invites a local
 * user; body {@code {"event", "room_version", "invite_room_state"}}, answer {@code {"event"}}
 * with this server's signature added. The checks are {@link InboundInvites}'.
 *
 * @see <a href="https://spec.matrix.org/v1.19/server-server-api/#put_matrixfederationv2inviteroomideventid">spec</a>
 */
public final class InviteEndpoint extends JsonEndpoint<ObjectNode, ObjectNode> {
    /** The endpoint's definition, shared with clients. */
    public static final EndpointSpec<ObjectNode, ObjectNode> SPEC = FederationEndpoints.INVITE_V2;

    private final InboundInvites invites;

    public InviteEndpoint(InboundInvites invites) {
        super(SPEC);
        this.invites = invites;
    }

    @Override
    protected ObjectNode handle(MatrixRequest request, ObjectNode body) {
        JsonNode version = body.get("room_version");
        if (version == null) {
            throw MatrixException.missingParam("room_version");
        }
        if (!version.isTextual()) {
            throw MatrixException.badJson("'room_version' must be a string");
        }
        if (!body.has("event")) {
            throw MatrixException.missingParam("event");
        }
        ObjectNode signed = invites.receive(new InboundInvites.Invite(
                request.requireOrigin(),
                request.pathParam("roomId"),
                request.pathParam("eventId"),
                version.asText(),
                body.get("event"),
                body.path("invite_room_state")));
        return JsonNodeFactory.instance.objectNode().set("event", signed);
    }
}
