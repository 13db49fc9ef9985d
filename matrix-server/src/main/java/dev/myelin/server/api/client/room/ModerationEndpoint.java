package dev.myelin.server.api.client.room;

import dev.myelin.http.endpoint.EmptyResponse;
import dev.myelin.http.endpoint.EndpointSpec;
import dev.myelin.http.endpoint.JsonEndpoint;
import dev.myelin.http.server.MatrixRequest;
import dev.myelin.server.api.PathParams;
import dev.myelin.server.handler.room.MembershipHandler;

/**
 * {@code POST /_matrix/client/v3/rooms/{roomId}/kick}, {@code /ban} and {@code /unban}: one
 * shape (a {@code user_id} and an optional {@code reason}), so one class with the action as a value.
 *
 * @see <a href="https://spec.matrix.org/v1.19/client-server-api/#post_matrixclientv3roomsroomidkick">kick</a>
 * @see <a href="https://spec.matrix.org/v1.19/client-server-api/#post_matrixclientv3roomsroomidban">ban</a>
 * @see <a href="https://spec.matrix.org/v1.19/client-server-api/#post_matrixclientv3roomsroomidunban">unban</a>
 */
public final class ModerationEndpoint extends JsonEndpoint<TargetUserRequest, EmptyResponse> {
    /** The three moderation actions. */
    public enum Action {
        KICK,
        BAN,
        UNBAN;

        private final EndpointSpec<TargetUserRequest, EmptyResponse> spec = EndpointSpec.post(
                "/_matrix/client/v3/rooms/{roomId}/" + name().toLowerCase(java.util.Locale.ROOT),
                TargetUserRequest.class,
                EmptyResponse.class);
    }

    /** The kick endpoint's definition, shared with clients. */
    public static final EndpointSpec<TargetUserRequest, EmptyResponse> KICK = spec(Action.KICK);
    /** The ban endpoint's definition, shared with clients. */
    public static final EndpointSpec<TargetUserRequest, EmptyResponse> BAN = spec(Action.BAN);
    /** The unban endpoint's definition, shared with clients. */
    public static final EndpointSpec<TargetUserRequest, EmptyResponse> UNBAN = spec(Action.UNBAN);

    private final MembershipHandler membership;
    private final Action action;

    public ModerationEndpoint(MembershipHandler membership, Action action) {
        super(spec(action));
        this.membership = membership;
        this.action = action;
    }

    /** The definition of one action's endpoint. */
    public static EndpointSpec<TargetUserRequest, EmptyResponse> spec(Action action) {
        return action.spec;
    }

    @Override
    protected EmptyResponse handle(MatrixRequest request, TargetUserRequest body) {
        var sender = request.requireRequester().userId();
        var room = PathParams.roomId(request);
        var target = body.user();
        var reason = body.optionalReason();
        switch (action) {
            case KICK -> membership.kick(sender, room, target, reason);
            case BAN -> membership.ban(sender, room, target, reason);
            case UNBAN -> membership.unban(sender, room, target, reason);
        }
        return EmptyResponse.INSTANCE;
    }
}
