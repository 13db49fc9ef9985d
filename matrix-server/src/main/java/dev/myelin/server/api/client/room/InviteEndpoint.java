package dev.myelin.server.api.client.room;

import dev.myelin.http.endpoint.EmptyResponse;
import dev.myelin.http.endpoint.EndpointSpec;
import dev.myelin.http.endpoint.JsonEndpoint;
import dev.myelin.http.server.MatrixRequest;
import dev.myelin.server.api.PathParams;
import dev.myelin.server.handler.room.InviteRateLimits;
import dev.myelin.server.handler.room.MembershipHandler;

/**
 * {@code POST /_matrix/client/v3/rooms/{roomId}/invite} with a {@code user_id} (third-party
 * invites by {@code medium}/{@code address} are not supported).
 *
 * @see <a href="https://spec.matrix.org/v1.19/client-server-api/#post_matrixclientv3roomsroomidinvite">spec</a>
 */
public final class InviteEndpoint extends JsonEndpoint<TargetUserRequest, EmptyResponse> {
    /** The endpoint's definition, shared with clients. */
    public static final EndpointSpec<TargetUserRequest, EmptyResponse> SPEC = EndpointSpec.post(
                    "/_matrix/client/v3/rooms/{roomId}/invite", TargetUserRequest.class, EmptyResponse.class)
            .rateLimited("invite");

    private final MembershipHandler membership;
    private final InviteRateLimits limits;

    public InviteEndpoint(MembershipHandler membership, InviteRateLimits limits) {
        super(SPEC);
        this.membership = membership;
        this.limits = limits;
    }

    @Override
    protected EmptyResponse handle(MatrixRequest request, TargetUserRequest body) {
        var sender = request.requireRequester().userId();
        limits.check(PathParams.roomId(request), body.user());
        membership.invite(sender, PathParams.roomId(request), body.user(), body.optionalReason());
        return EmptyResponse.INSTANCE;
    }
}
