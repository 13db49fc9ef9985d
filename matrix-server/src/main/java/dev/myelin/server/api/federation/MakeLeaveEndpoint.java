package dev.myelin.server.api.federation;

import dev.myelin.federation.api.FederationEndpoints;
import dev.myelin.federation.api.MakeJoinResponse;
import dev.myelin.http.endpoint.JsonEndpoint;
import dev.myelin.http.endpoint.NoBody;
import dev.myelin.http.server.MatrixRequest;
import dev.myelin.server.handler.federation.ResidentJoins;

/**
 * {@code GET /_matrix/federation/v1/make_leave/{roomId}/{userId}}: a leave event template for
 * another server's user (to leave a room or reject an invite).
 *
 * @see <a href="https://spec.matrix.org/v1.19/server-server-api/#get_matrixfederationv1make_leaveroomiduserid">spec</a>
 */
public final class MakeLeaveEndpoint extends JsonEndpoint<NoBody, MakeJoinResponse> {
    private final ResidentJoins memberships;

    public MakeLeaveEndpoint(ResidentJoins memberships) {
        super(FederationEndpoints.MAKE_LEAVE);
        this.memberships = memberships;
    }

    @Override
    protected MakeJoinResponse handle(MatrixRequest request, NoBody body) {
        return memberships.makeLeave(
                request.requireOrigin(),
                MakeJoinEndpoint.roomId(request.pathParam("roomId")),
                MakeJoinEndpoint.userId(request.pathParam("userId")));
    }
}
