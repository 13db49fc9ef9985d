package dev.myelin.server.api.client.directory;

import dev.myelin.http.endpoint.EmptyResponse;
import dev.myelin.http.endpoint.EndpointSpec;
import dev.myelin.http.endpoint.JsonEndpoint;
import dev.myelin.http.error.MatrixException;
import dev.myelin.http.server.MatrixRequest;
import dev.myelin.server.api.PathParams;
import dev.myelin.server.handler.directory.RoomDirectoryHandler;

/**
 * {@code PUT /_matrix/client/v3/directory/list/appservice/{networkId}/{roomId}}: an application
 * service lists ({@code public}, also when left out, as Synapse does) or unlists ({@code
 * private}) a room in its own room directory list for one of its networks. Only an application
 * service's token may (403 {@code M_FORBIDDEN}).
 *
 * @see <a href="https://spec.matrix.org/v1.19/application-service-api/#put_matrixclientv3directorylistappservicenetworkidroomid">spec</a>
 */
public final class SetAppServiceRoomListEndpoint extends JsonEndpoint<RoomVisibility, EmptyResponse> {
    /** The endpoint's definition, shared with clients. */
    public static final EndpointSpec<RoomVisibility, EmptyResponse> SPEC = EndpointSpec.put(
            "/_matrix/client/v3/directory/list/appservice/{networkId}/{roomId}",
            RoomVisibility.class,
            EmptyResponse.class);

    private final RoomDirectoryHandler directory;

    public SetAppServiceRoomListEndpoint(RoomDirectoryHandler directory) {
        super(SPEC);
        this.directory = directory;
    }

    @Override
    protected EmptyResponse handle(MatrixRequest request, RoomVisibility body) {
        directory.setListedByAppService(
                appServiceOf(request), request.pathParam("networkId"), PathParams.roomId(request), body.listed());
        return EmptyResponse.INSTANCE;
    }

    /** The id of the application service making the request, or 403. */
    static String appServiceOf(MatrixRequest request) {
        return request.requireRequester()
                .appService()
                .orElseThrow(() ->
                        MatrixException.forbidden("Only application services can edit their published room lists"));
    }
}
