package dev.myelin.server.api.client.room;

import dev.myelin.core.id.RoomId;
import dev.myelin.http.endpoint.EndpointSpec;
import dev.myelin.http.endpoint.JsonEndpoint;
import dev.myelin.http.server.MatrixRequest;
import dev.myelin.server.api.PathParams;
import dev.myelin.server.handler.room.MembershipHandler;

/**
 * {@code POST /_matrix/client/v3/rooms/{roomId}/join}.
 *
 * @see <a href="https://spec.matrix.org/v1.19/client-server-api/#post_matrixclientv3roomsroomidjoin">spec</a>
 */
public final class JoinRoomEndpoint extends JsonEndpoint<ReasonRequest, RoomIdResponse> {
    /** The endpoint's definition, shared with clients. */
    public static final EndpointSpec<ReasonRequest, RoomIdResponse> SPEC = EndpointSpec.post(
                    "/_matrix/client/v3/rooms/{roomId}/join", ReasonRequest.class, RoomIdResponse.class)
            .rateLimited("join")
            .bodyMayBeAbsent();

    private final MembershipHandler membership;

    public JoinRoomEndpoint(MembershipHandler membership) {
        super(SPEC);
        this.membership = membership;
    }

    @Override
    protected RoomIdResponse handle(MatrixRequest request, ReasonRequest body) {
        var user = request.requireRequester().userId();
        RoomId room = PathParams.roomId(request);
        membership.join(user, room, body.optionalReason());
        return new RoomIdResponse(room.value());
    }
}
