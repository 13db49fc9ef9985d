package dev.myelin.server.api.client.directory;

import dev.myelin.http.endpoint.EmptyResponse;
import dev.myelin.http.endpoint.EndpointSpec;
import dev.myelin.http.endpoint.JsonEndpoint;
import dev.myelin.http.endpoint.NoBody;
import dev.myelin.http.server.MatrixRequest;
import dev.myelin.server.api.PathParams;
import dev.myelin.server.handler.directory.RoomDirectoryHandler;

/**
 * {@code DELETE /_matrix/client/v3/directory/list/appservice/{networkId}/{roomId}}: the same as
 * {@code PUT} with {@code private}. Not in the spec, but Synapse serves it and bridges use it;
 * only an application service's token may (403 {@code M_FORBIDDEN}).
 *
 * @see SetAppServiceRoomListEndpoint
 */
public final class DeleteAppServiceRoomListEndpoint extends JsonEndpoint<NoBody, EmptyResponse> {
    /** The endpoint's definition, shared with clients. */
    public static final EndpointSpec<NoBody, EmptyResponse> SPEC = EndpointSpec.delete(
            "/_matrix/client/v3/directory/list/appservice/{networkId}/{roomId}", EmptyResponse.class);

    private final RoomDirectoryHandler directory;

    public DeleteAppServiceRoomListEndpoint(RoomDirectoryHandler directory) {
        super(SPEC);
        this.directory = directory;
    }

    @Override
    protected EmptyResponse handle(MatrixRequest request, NoBody body) {
        directory.setListedByAppService(
                SetAppServiceRoomListEndpoint.appServiceOf(request),
                request.pathParam("networkId"),
                PathParams.roomId(request),
                false);
        return EmptyResponse.INSTANCE;
    }
}
