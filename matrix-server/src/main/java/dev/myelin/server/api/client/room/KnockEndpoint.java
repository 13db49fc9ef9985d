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
 * {@code POST /_matrix/client/v3/knock/{roomIdOrAlias}}: asks to be invited to a room whose join
 * rule is {@code knock} or {@code knock_restricted}. A room this server is not in is knocked on over
 * federation through the servers the {@code via} and {@code server_name} parameters name, those of
 * a remote alias, or the room id's server.
 *
 * @see <a href="https://spec.matrix.org/v1.19/client-server-api/#post_matrixclientv3knockroomidoralias">spec</a>
 */
public final class KnockEndpoint extends JsonEndpoint<ReasonRequest, RoomIdResponse> {
    /** The endpoint's definition, shared with clients. */
    public static final EndpointSpec<ReasonRequest, RoomIdResponse> SPEC = EndpointSpec.post(
                    "/_matrix/client/v3/knock/{roomIdOrAlias}", ReasonRequest.class, RoomIdResponse.class)
            .rateLimited("join")
            .bodyMayBeAbsent();

    private final MembershipHandler membership;

    public KnockEndpoint(MembershipHandler membership) {
        super(SPEC);
        this.membership = membership;
    }

    @Override
    protected RoomIdResponse handle(MatrixRequest request, ReasonRequest body) {
        var user = request.requireRequester().userId();
        MembershipHandler.RoomTarget target = membership.resolveForJoin(request.pathParam("roomIdOrAlias"));
        RoomId room = target.room();
        List<ServerName> via = new ArrayList<>(target.servers());
        for (String param : List.of("via", "server_name")) {
            for (String name : request.queryParams(param)) {
                if (!ServerName.isValid(name)) {
                    throw MatrixException.invalidParam(param, "not a server name: " + name);
                }
                via.add(ServerName.parse(name));
            }
        }
        membership.knock(user, room, body.optionalReason(), via);
        return new RoomIdResponse(room.value());
    }
}
