package dev.myelin.server.api.client.directory;

import dev.myelin.http.endpoint.EndpointSpec;
import dev.myelin.http.endpoint.JsonEndpoint;
import dev.myelin.http.endpoint.NoBody;
import dev.myelin.http.server.MatrixRequest;
import dev.myelin.server.api.PathParams;
import dev.myelin.server.handler.directory.RoomDirectoryHandler;

/**
 * {@code GET /_matrix/client/v3/directory/list/room/{roomId}}: whether the room is in the public directory.
 *
 * @see <a href="https://spec.matrix.org/v1.19/client-server-api/#get_matrixclientv3directorylistroomroomid">spec</a>
 */
public final class GetRoomVisibilityEndpoint extends JsonEndpoint<NoBody, RoomVisibility> {
    /** The endpoint's definition, shared with clients. */
    public static final EndpointSpec<NoBody, RoomVisibility> SPEC = EndpointSpec.get(
                    "/_matrix/client/v3/directory/list/room/{roomId}", RoomVisibility.class)
            .optionalAuth();

    private final RoomDirectoryHandler directory;

    public GetRoomVisibilityEndpoint(RoomDirectoryHandler directory) {
        super(SPEC);
        this.directory = directory;
    }

    @Override
    protected RoomVisibility handle(MatrixRequest request, NoBody body) {
        return RoomVisibility.of(directory.isListed(PathParams.roomId(request)));
    }
}
