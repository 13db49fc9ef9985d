package dev.myelin.server.api.client.room;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.myelin.core.id.RoomId;
import dev.myelin.http.server.Endpoint;
import dev.myelin.http.server.HttpMethod;
import dev.myelin.http.server.MatrixRequest;
import dev.myelin.http.server.MatrixResponse;
import dev.myelin.server.api.PathParams;
import dev.myelin.server.handler.room.MembershipHandler;
import java.util.Optional;

/**
 * {@code POST /_matrix/client/v3/rooms/{roomId}/join}.
 *
 * @see <a href="https://spec.matrix.org/v1.19/client-server-api/#post_matrixclientv3roomsroomidjoin">spec</a>
 */
public final class JoinRoomEndpoint implements Endpoint {
    private final MembershipHandler membership;

    public JoinRoomEndpoint(MembershipHandler membership) {
        this.membership = membership;
    }

    @Override
    public HttpMethod method() {
        return HttpMethod.POST;
    }

    @Override
    public String path() {
        return "/_matrix/client/v3/rooms/{roomId}/join";
    }

    @Override
    public Optional<String> rateLimitAction() {
        return Optional.of("join");
    }

    @Override
    public MatrixResponse handle(MatrixRequest request) {
        var user = request.requireRequester().userId();
        RoomId room = PathParams.roomId(request);
        membership.join(user, room, Bodies.reason(Bodies.objectOrEmpty(request)));
        return MatrixResponse.ok(JsonNodeFactory.instance.objectNode().put("room_id", room.value()));
    }
}
