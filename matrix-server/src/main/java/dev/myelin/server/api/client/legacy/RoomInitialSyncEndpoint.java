package dev.myelin.server.api.client.legacy;

import dev.myelin.http.endpoint.EndpointSpec;
import dev.myelin.http.endpoint.JsonEndpoint;
import dev.myelin.http.endpoint.NoBody;
import dev.myelin.http.server.MatrixRequest;
import dev.myelin.server.api.PathParams;
import dev.myelin.server.api.QueryParams;
import dev.myelin.server.handler.legacy.InitialSyncHandler;
import dev.myelin.server.handler.legacy.RoomSnapshot;
import dev.myelin.server.handler.room.ClientEvents;

/**
 * {@code GET /_matrix/client/v3/rooms/{roomId}/initialSync}: a snapshot of one room, with
 * {@code limit} messages (default {@value InitialSyncHandler#DEFAULT_LIMIT}); for a room the user
 * left, as it was when they left; for a world_readable room, also to users who are not in it.
 *
 * @see <a href="https://spec.matrix.org/v1.19/client-server-api/#get_matrixclientv3roomsroomidinitialsync">spec</a>
 */
public final class RoomInitialSyncEndpoint extends JsonEndpoint<NoBody, RoomSnapshot> {
    /** The endpoint's definition, shared with clients. */
    public static final EndpointSpec<NoBody, RoomSnapshot> SPEC =
            EndpointSpec.get("/_matrix/client/v3/rooms/{roomId}/initialSync", RoomSnapshot.class);

    private final InitialSyncHandler snapshots;

    public RoomInitialSyncEndpoint(InitialSyncHandler snapshots) {
        super(SPEC);
        this.snapshots = snapshots;
    }

    @Override
    protected RoomSnapshot handle(MatrixRequest request, NoBody body) {
        int limit = QueryParams.nonNegativeInt(request, "limit", InitialSyncHandler.DEFAULT_LIMIT);
        return snapshots.room(ClientEvents.Viewer.of(request.requireRequester()), PathParams.roomId(request), limit);
    }
}
