package dev.myelin.server.api.client.room;

import dev.myelin.core.id.RoomId;
import dev.myelin.http.endpoint.EndpointSpec;
import dev.myelin.http.endpoint.JsonEndpoint;
import dev.myelin.http.server.MatrixRequest;
import dev.myelin.server.handler.room.MembershipHandler;

/**
 * {@code POST /_matrix/client/v3/join/{roomIdOrAlias}}: joins a local room by id or alias. The
 * {@code server_name}/{@code via} parameters only matter for joins over federation, which this
 * server does not do, so they are ignored. Keys of the body besides {@code reason} are kept in
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
        RoomId room = membership.resolve(request.pathParam("roomIdOrAlias"));
        membership.join(user, room, body.extraContent(), body.optionalReason());
        return new RoomIdResponse(room.value());
    }
}
