package dev.myelin.server.api.client.room;

import dev.myelin.http.server.Endpoint;
import dev.myelin.http.server.HttpMethod;
import dev.myelin.http.server.MatrixRequest;
import dev.myelin.http.server.MatrixResponse;
import dev.myelin.server.api.PathParams;
import dev.myelin.server.handler.room.MembershipHandler;

/**
 * {@code POST /_matrix/client/v3/rooms/{roomId}/leave}: leaves, rejects an invite or retracts a knock.
 *
 * @see <a href="https://spec.matrix.org/v1.19/client-server-api/#post_matrixclientv3roomsroomidleave">spec</a>
 */
public final class LeaveEndpoint implements Endpoint {
    private final MembershipHandler membership;

    public LeaveEndpoint(MembershipHandler membership) {
        this.membership = membership;
    }

    @Override
    public HttpMethod method() {
        return HttpMethod.POST;
    }

    @Override
    public String path() {
        return "/_matrix/client/v3/rooms/{roomId}/leave";
    }

    @Override
    public MatrixResponse handle(MatrixRequest request) {
        var user = request.requireRequester().userId();
        membership.leave(user, PathParams.roomId(request), Bodies.reason(Bodies.objectOrEmpty(request)));
        return MatrixResponse.ok(Bodies.emptyObject());
    }
}
