package dev.myelin.server.api.federation;

import dev.myelin.core.id.RoomId;
import dev.myelin.core.id.UserId;
import dev.myelin.federation.api.FederationEndpoints;
import dev.myelin.federation.api.MakeJoinResponse;
import dev.myelin.http.endpoint.JsonEndpoint;
import dev.myelin.http.endpoint.NoBody;
import dev.myelin.http.error.MatrixException;
import dev.myelin.http.server.MatrixRequest;
import dev.myelin.server.handler.federation.ResidentJoins;

/**
 * {@code GET /_matrix/federation/v1/make_join/{roomId}/{userId}}: a join event template for
 * another server's user.
 *
 * @see <a href="https://spec.matrix.org/v1.19/server-server-api/#get_matrixfederationv1make_joinroomiduserid">spec</a>
 */
public final class MakeJoinEndpoint extends JsonEndpoint<NoBody, MakeJoinResponse> {
    private final ResidentJoins joins;

    public MakeJoinEndpoint(ResidentJoins joins) {
        super(FederationEndpoints.MAKE_JOIN);
        this.joins = joins;
    }

    @Override
    protected MakeJoinResponse handle(MatrixRequest request, NoBody body) {
        return joins.makeJoin(
                request.requireOrigin(),
                roomId(request.pathParam("roomId")),
                userId(request.pathParam("userId")),
                request.queryParams("ver"));
    }

    static RoomId roomId(String value) {
        try {
            return RoomId.parse(value);
        } catch (IllegalArgumentException e) {
            throw MatrixException.invalidParam("roomId", "not a room id: " + value);
        }
    }

    static UserId userId(String value) {
        try {
            return UserId.parse(value);
        } catch (IllegalArgumentException e) {
            throw MatrixException.invalidParam("userId", "not a user id: " + value);
        }
    }
}
