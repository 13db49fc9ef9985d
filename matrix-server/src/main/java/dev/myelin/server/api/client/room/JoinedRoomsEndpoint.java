package dev.myelin.server.api.client.room;

import dev.myelin.core.id.RoomId;
import dev.myelin.http.endpoint.EndpointSpec;
import dev.myelin.http.endpoint.JsonEndpoint;
import dev.myelin.http.endpoint.NoBody;
import dev.myelin.http.server.MatrixRequest;
import dev.myelin.server.handler.room.MembershipHandler;
import java.util.List;

/**
 * {@code GET /_matrix/client/v3/joined_rooms}.
 *
 * @see <a href="https://spec.matrix.org/v1.19/client-server-api/#get_matrixclientv3joined_rooms">spec</a>
 */
public final class JoinedRoomsEndpoint extends JsonEndpoint<NoBody, JoinedRoomsEndpoint.Response> {
    /** The endpoint's definition, shared with clients. */
    public static final EndpointSpec<NoBody, Response> SPEC =
            EndpointSpec.get("/_matrix/client/v3/joined_rooms", Response.class);

    /** The ids of the rooms the user is joined to. */
    public record Response(List<String> joinedRooms) {}

    private final MembershipHandler membership;

    public JoinedRoomsEndpoint(MembershipHandler membership) {
        super(SPEC);
        this.membership = membership;
    }

    @Override
    protected Response handle(MatrixRequest request, NoBody body) {
        return new Response(membership.joinedRooms(request.requireRequester().userId()).stream()
                .map(RoomId::value)
                .toList());
    }
}
