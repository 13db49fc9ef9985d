package dev.myelin.server.api.client.directory;

import dev.myelin.http.endpoint.EmptyResponse;
import dev.myelin.http.endpoint.EndpointSpec;
import dev.myelin.http.endpoint.JsonEndpoint;
import dev.myelin.http.endpoint.NoBody;
import dev.myelin.http.server.MatrixRequest;
import dev.myelin.server.handler.directory.RoomDirectoryHandler;

/**
 * {@code DELETE /_matrix/client/v3/directory/room/{roomAlias}}: by the alias creator or a user who may change the room's aliases.
 *
 * @see <a href="https://spec.matrix.org/v1.19/client-server-api/#delete_matrixclientv3directoryroomroomalias">spec</a>
 */
public final class DeleteAliasEndpoint extends JsonEndpoint<NoBody, EmptyResponse> {
    /** The endpoint's definition, shared with clients. */
    public static final EndpointSpec<NoBody, EmptyResponse> SPEC =
            EndpointSpec.delete("/_matrix/client/v3/directory/room/{roomAlias}", EmptyResponse.class);

    private final RoomDirectoryHandler directory;

    public DeleteAliasEndpoint(RoomDirectoryHandler directory) {
        super(SPEC);
        this.directory = directory;
    }

    @Override
    protected EmptyResponse handle(MatrixRequest request, NoBody body) {
        directory.deleteAlias(
                request.requireRequester().userId(), RoomDirectoryHandler.parseAlias(request.pathParam("roomAlias")));
        return EmptyResponse.INSTANCE;
    }
}
