package dev.myelin.server.api.client.room;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.myelin.http.server.Endpoint;
import dev.myelin.http.server.HttpMethod;
import dev.myelin.http.server.MatrixRequest;
import dev.myelin.http.server.MatrixResponse;
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
public final class ModerationEndpoint implements Endpoint {
    /** The three moderation actions. */
    public enum Action { KICK, BAN, UNBAN }

    private final MembershipHandler membership;
    private final Action action;

    public ModerationEndpoint(MembershipHandler membership, Action action) {
        this.membership = membership;
        this.action = action;
    }

    @Override
    public HttpMethod method() {
        return HttpMethod.POST;
    }

    @Override
    public String path() {
        return "/_matrix/client/v3/rooms/{roomId}/" + action.name().toLowerCase(java.util.Locale.ROOT);
    }

    @Override
    public MatrixResponse handle(MatrixRequest request) {
        var sender = request.requireRequester().userId();
        var room = PathParams.roomId(request);
        ObjectNode body = request.jsonObject();
        var target = Bodies.userId(body);
        var reason = Bodies.reason(body);
        switch (action) {
            case KICK -> membership.kick(sender, room, target, reason);
            case BAN -> membership.ban(sender, room, target, reason);
            case UNBAN -> membership.unban(sender, room, target, reason);
        }
        return MatrixResponse.ok(Bodies.emptyObject());
    }
}
