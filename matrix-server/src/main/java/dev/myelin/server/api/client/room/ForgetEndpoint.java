package dev.myelin.server.api.client.room;

import dev.myelin.http.server.Endpoint;
import dev.myelin.http.server.HttpMethod;
import dev.myelin.http.server.MatrixRequest;
import dev.myelin.http.server.MatrixResponse;
import dev.myelin.server.api.PathParams;
import dev.myelin.server.handler.room.MembershipHandler;

/**
 * {@code POST /_matrix/client/v3/rooms/{roomId}/forget}: only after leaving.
 *
 * @see <a href="https://spec.matrix.org/v1.19/client-server-api/#post_matrixclientv3roomsroomidforget">spec</a>
 */
public final class ForgetEndpoint implements Endpoint {
    private final MembershipHandler membership;

    public ForgetEndpoint(MembershipHandler membership) {
        this.membership = membership;
    }

    @Override
    public HttpMethod method() {
        return HttpMethod.POST;
    }

    @Override
    public String path() {
        return "/_matrix/client/v3/rooms/{roomId}/forget";
    }

    @Override
    public MatrixResponse handle(MatrixRequest request) {
        membership.forget(request.requireRequester().userId(), PathParams.roomId(request));
        return MatrixResponse.ok(Bodies.emptyObject());
    }
}
