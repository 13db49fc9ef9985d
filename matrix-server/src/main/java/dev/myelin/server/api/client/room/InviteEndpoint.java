package dev.myelin.server.api.client.room;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.myelin.http.server.Endpoint;
import dev.myelin.http.server.HttpMethod;
import dev.myelin.http.server.MatrixRequest;
import dev.myelin.http.server.MatrixResponse;
import dev.myelin.server.api.PathParams;
import dev.myelin.server.handler.room.MembershipHandler;
import java.util.Optional;

/**
 * {@code POST /_matrix/client/v3/rooms/{roomId}/invite} with a {@code user_id} (third-party
 * invites by {@code medium}/{@code address} are not supported).
 *
 * @see <a href="https://spec.matrix.org/v1.19/client-server-api/#post_matrixclientv3roomsroomidinvite">spec</a>
 */
public final class InviteEndpoint implements Endpoint {
    private final MembershipHandler membership;

    public InviteEndpoint(MembershipHandler membership) {
        this.membership = membership;
    }

    @Override
    public HttpMethod method() {
        return HttpMethod.POST;
    }

    @Override
    public String path() {
        return "/_matrix/client/v3/rooms/{roomId}/invite";
    }

    @Override
    public Optional<String> rateLimitAction() {
        return Optional.of("invite");
    }

    @Override
    public MatrixResponse handle(MatrixRequest request) {
        var sender = request.requireRequester().userId();
        var room = PathParams.roomId(request);
        ObjectNode body = request.jsonObject();
        membership.invite(sender, room, Bodies.userId(body), Bodies.reason(body));
        return MatrixResponse.ok(Bodies.emptyObject());
    }
}
