package dev.myelin.server.api.client.room;

import dev.myelin.http.endpoint.EmptyResponse;
import dev.myelin.http.endpoint.EndpointSpec;
import dev.myelin.http.endpoint.JsonEndpoint;
import dev.myelin.http.server.MatrixRequest;
import dev.myelin.server.api.PathParams;
import dev.myelin.server.handler.room.MembershipHandler;

/**
 * {@code POST /_matrix/client/v3/rooms/{roomId}/leave}: leaves, rejects an invite or retracts a knock.
 *
 * @see <a href="https://spec.matrix.org/v1.19/client-server-api/#post_matrixclientv3roomsroomidleave">spec</a>
 */
public final class LeaveEndpoint extends JsonEndpoint<ReasonRequest, EmptyResponse> {
    /** The endpoint's definition, shared with clients. */
    public static final EndpointSpec<ReasonRequest, EmptyResponse> SPEC = EndpointSpec.post(
                    "/_matrix/client/v3/rooms/{roomId}/leave", ReasonRequest.class, EmptyResponse.class)
            .bodyMayBeAbsent();

    private final MembershipHandler membership;

    public LeaveEndpoint(MembershipHandler membership) {
        super(SPEC);
        this.membership = membership;
    }

    @Override
    protected EmptyResponse handle(MatrixRequest request, ReasonRequest body) {
        var user = request.requireRequester().userId();
        membership.leave(user, PathParams.roomId(request), body.optionalReason());
        return EmptyResponse.INSTANCE;
    }
}
