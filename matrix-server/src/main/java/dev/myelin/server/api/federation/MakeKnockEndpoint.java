package dev.myelin.server.api.federation;

import dev.myelin.federation.api.FederationEndpoints;
import dev.myelin.federation.api.MakeJoinResponse;
import dev.myelin.http.endpoint.JsonEndpoint;
import dev.myelin.http.endpoint.NoBody;
import dev.myelin.http.server.MatrixRequest;
import dev.myelin.server.handler.federation.ResidentJoins;

/**
 * {@code GET /_matrix/federation/v1/make_knock/{roomId}/{userId}}: a knock event template for
 * another server's user.
 *
 * @see <a href="https://spec.matrix.org/v1.19/server-server-api/#get_matrixfederationv1make_knockroomiduserid">spec</a>
 */
public final class MakeKnockEndpoint extends JsonEndpoint<NoBody, MakeJoinResponse> {
    private final ResidentJoins memberships;

    public MakeKnockEndpoint(ResidentJoins memberships) {
        super(FederationEndpoints.MAKE_KNOCK);
        this.memberships = memberships;
    }

    @Override
    protected MakeJoinResponse handle(MatrixRequest request, NoBody body) {
        return memberships.makeKnock(
                request.requireOrigin(),
                MakeJoinEndpoint.roomId(request.pathParam("roomId")),
                MakeJoinEndpoint.userId(request.pathParam("userId")),
                request.queryParams("ver"));
    }
}
