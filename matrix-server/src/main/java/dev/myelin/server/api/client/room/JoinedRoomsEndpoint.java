package dev.myelin.server.api.client.room;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.myelin.http.server.Endpoint;
import dev.myelin.http.server.HttpMethod;
import dev.myelin.http.server.MatrixRequest;
import dev.myelin.http.server.MatrixResponse;
import dev.myelin.server.handler.room.MembershipHandler;

/**
 * {@code GET /_matrix/client/v3/joined_rooms}.
 *
 * @see <a href="https://spec.matrix.org/v1.19/client-server-api/#get_matrixclientv3joined_rooms">spec</a>
 */
public final class JoinedRoomsEndpoint implements Endpoint {
    private final MembershipHandler membership;

    public JoinedRoomsEndpoint(MembershipHandler membership) {
        this.membership = membership;
    }

    @Override
    public HttpMethod method() {
        return HttpMethod.GET;
    }

    @Override
    public String path() {
        return "/_matrix/client/v3/joined_rooms";
    }

    @Override
    public MatrixResponse handle(MatrixRequest request) {
        ObjectNode body = JsonNodeFactory.instance.objectNode();
        var rooms = body.putArray("joined_rooms");
        membership.joinedRooms(request.requireRequester().userId()).forEach(r -> rooms.add(r.value()));
        return MatrixResponse.ok(body);
    }
}
