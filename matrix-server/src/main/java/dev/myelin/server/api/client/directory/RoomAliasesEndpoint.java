package dev.myelin.server.api.client.directory;

import dev.myelin.http.endpoint.EndpointSpec;
import dev.myelin.http.endpoint.JsonEndpoint;
import dev.myelin.http.endpoint.NoBody;
import dev.myelin.http.server.MatrixRequest;
import dev.myelin.server.api.PathParams;
import dev.myelin.server.handler.directory.RoomDirectoryHandler;
import java.util.List;

/**
 * {@code GET /_matrix/client/v3/rooms/{roomId}/aliases}: the local aliases of a room, for its members.
 *
 * @see <a href="https://spec.matrix.org/v1.19/client-server-api/#get_matrixclientv3roomsroomidaliases">spec</a>
 */
public final class RoomAliasesEndpoint extends JsonEndpoint<NoBody, RoomAliasesEndpoint.Response> {
    /** The endpoint's definition, shared with clients. */
    public static final EndpointSpec<NoBody, Response> SPEC =
            EndpointSpec.get("/_matrix/client/v3/rooms/{roomId}/aliases", Response.class);

    /** The room's local aliases. */
    public record Response(List<String> aliases) {}

    private final RoomDirectoryHandler directory;

    public RoomAliasesEndpoint(RoomDirectoryHandler directory) {
        super(SPEC);
        this.directory = directory;
    }

    @Override
    protected Response handle(MatrixRequest request, NoBody body) {
        return new Response(directory.aliases(request.requireRequester().userId(), PathParams.roomId(request)).stream()
                .map(Object::toString)
                .toList());
    }
}
