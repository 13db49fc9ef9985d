package dev.myelin.server.api.client.room;

import dev.myelin.core.id.RoomId;
import dev.myelin.core.id.ServerName;
import dev.myelin.http.endpoint.EndpointSpec;
import dev.myelin.http.endpoint.JsonEndpoint;
import dev.myelin.http.error.MatrixException;
import dev.myelin.http.server.MatrixRequest;
import dev.myelin.server.handler.room.MembershipHandler;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code POST /_matrix/client/v3/join/{roomIdOrAlias}}: joins a room by id or alias. A room this
 * server is not in is joined over federation through the servers the {@code server_name} and
 * {@code via} parameters name, or the room id's server. Keys of the body besides {@code reason} are kept in
 * the join event's content, as Synapse keeps them ({@code POST /rooms/{roomId}/join} takes only
 * the reason, as there).
 *
 * @see <a href="https://spec.matrix.org/v1.19/client-server-api/#post_matrixclientv3joinroomidoralias">spec</a>
 */
public final class JoinEndpoint extends JsonEndpoint<JoinRequest, RoomIdResponse> {
    /** The endpoint's definition, shared with clients. */
    public static final EndpointSpec<JoinRequest, RoomIdResponse> SPEC = EndpointSpec.post(
                    "/_matrix/client/v3/join/{roomIdOrAlias}", JoinRequest.class, RoomIdResponse.class)
            .rateLimited("join")
            .bodyMayBeAbsent();

    private final MembershipHandler membership;

    public JoinEndpoint(MembershipHandler membership) {
        super(SPEC);
        this.membership = membership;
    }

    @Override
    protected RoomIdResponse handle(MatrixRequest request, JoinRequest body) {
        var user = request.requireRequester().userId();
        MembershipHandler.RoomTarget target = membership.resolveForJoin(request.pathParam("roomIdOrAlias"));
        RoomId room = target.room();
        List<ServerName> via = new ArrayList<>(target.servers());
        for (String name : request.queryParams("server_name")) {
            via.add(serverName(name));
        }
        for (String name : request.queryParams("via")) {
            via.add(serverName(name));
        }
        membership.join(user, room, body.extraContent(), body.optionalReason(), via);
        return new RoomIdResponse(room.value());
    }

    private static ServerName serverName(String value) {
        if (!ServerName.isValid(value)) {
            throw MatrixException.invalidParam("server_name", "not a server name: " + value);
        }
        return ServerName.parse(value);
    }
}
