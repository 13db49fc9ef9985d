package dev.myelin.server.api.client.directory;

import dev.myelin.http.endpoint.EmptyResponse;
import dev.myelin.http.endpoint.EndpointSpec;
import dev.myelin.http.endpoint.JsonEndpoint;
import dev.myelin.http.server.MatrixRequest;
import dev.myelin.server.api.PathParams;
import dev.myelin.server.handler.directory.RoomDirectoryHandler;

/**
 * {@code PUT /_matrix/client/v3/directory/list/room/{roomId}}: lists or unlists the room; needs the power to change its aliases.
 *
 * @see <a href="https://spec.matrix.org/v1.19/client-server-api/#put_matrixclientv3directorylistroomroomid">spec</a>
 */
public final class SetRoomVisibilityEndpoint extends JsonEndpoint<RoomVisibility, EmptyResponse> {
    /** The endpoint's definition, shared with clients. */
    public static final EndpointSpec<RoomVisibility, EmptyResponse> SPEC = EndpointSpec.put(
            "/_matrix/client/v3/directory/list/room/{roomId}", RoomVisibility.class, EmptyResponse.class);

    private final RoomDirectoryHandler directory;

    public SetRoomVisibilityEndpoint(RoomDirectoryHandler directory) {
        super(SPEC);
        this.directory = directory;
    }

    @Override
    protected EmptyResponse handle(MatrixRequest request, RoomVisibility body) {
        var user = request.requireRequester().userId();
        directory.setListed(user, PathParams.roomId(request), body.listed());
        return EmptyResponse.INSTANCE;
    }
}
