package dev.myelin.server.api.client.room;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.myelin.core.id.RoomId;
import dev.myelin.http.server.Endpoint;
import dev.myelin.http.server.HttpMethod;
import dev.myelin.http.server.MatrixRequest;
import dev.myelin.http.server.MatrixResponse;
import dev.myelin.server.handler.room.MembershipHandler;
import java.util.Optional;

/**
 * {@code POST /_matrix/client/v3/join/{roomIdOrAlias}}: joins a local room by id or alias. The
 * {@code server_name}/{@code via} parameters only matter for joins over federation, which this
 * server does not do, so they are ignored.
 *
 * @see <a href="https://spec.matrix.org/v1.19/client-server-api/#post_matrixclientv3joinroomidoralias">spec</a>
 */
public final class JoinEndpoint implements Endpoint {
    private final MembershipHandler membership;

    public JoinEndpoint(MembershipHandler membership) {
        this.membership = membership;
    }

    @Override
    public HttpMethod method() {
        return HttpMethod.POST;
    }

    @Override
    public String path() {
        return "/_matrix/client/v3/join/{roomIdOrAlias}";
    }

    @Override
    public Optional<String> rateLimitAction() {
        return Optional.of("join");
    }

    @Override
    public MatrixResponse handle(MatrixRequest request) {
        var user = request.requireRequester().userId();
        RoomId room = membership.resolve(request.pathParam("roomIdOrAlias"));
        membership.join(user, room, Bodies.reason(Bodies.objectOrEmpty(request)));
        return MatrixResponse.ok(JsonNodeFactory.instance.objectNode().put("room_id", room.value()));
    }
}
