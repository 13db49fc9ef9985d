package dev.myelin.server.api.client.room;

import dev.myelin.core.id.UserId;
import dev.myelin.http.endpoint.EmptyResponse;
import dev.myelin.http.endpoint.EndpointSpec;
import dev.myelin.http.endpoint.JsonEndpoint;
import dev.myelin.http.server.MatrixRequest;
import dev.myelin.server.api.PathParams;
import dev.myelin.server.handler.room.InviteRateLimits;
import dev.myelin.server.handler.room.MembershipHandler;
import dev.myelin.server.handler.threepid.ThirdPartyInvites;
import java.util.Optional;

/**
 * {@code POST /_matrix/client/v3/rooms/{roomId}/invite} with a {@code user_id}, or by 3PID with an
 * identity server: the user the address is bound to is invited, else the identity server stores
 * the invite and the room gets an {@code m.room.third_party_invite}.
 *
 * @see <a href="https://spec.matrix.org/v1.19/client-server-api/#post_matrixclientv3roomsroomidinvite">spec</a>
 */
public final class InviteEndpoint extends JsonEndpoint<InviteRequest, EmptyResponse> {
    /** The endpoint's definition, shared with clients. */
    public static final EndpointSpec<InviteRequest, EmptyResponse> SPEC = EndpointSpec.post(
                    "/_matrix/client/v3/rooms/{roomId}/invite", InviteRequest.class, EmptyResponse.class)
            .rateLimited("invite");

    private final MembershipHandler membership;
    private final InviteRateLimits limits;
    private final ThirdPartyInvites thirdParty;

    public InviteEndpoint(MembershipHandler membership, InviteRateLimits limits, ThirdPartyInvites thirdParty) {
        super(SPEC);
        this.thirdParty = thirdParty;
        this.membership = membership;
        this.limits = limits;
    }

    @Override
    protected EmptyResponse handle(MatrixRequest request, InviteRequest body) {
        var sender = request.requireRequester().userId();
        var room = PathParams.roomId(request);
        UserId target;
        if (body.byThirdParty()) {
            Optional<UserId> bound = thirdParty.invite(sender, room, body.invitation());
            if (bound.isEmpty()) {
                return EmptyResponse.INSTANCE;
            }
            target = bound.get();
        } else {
            target = body.user();
        }
        limits.check(room, target);
        membership.invite(sender, room, target, body.optionalReason());
        return EmptyResponse.INSTANCE;
    }
}
