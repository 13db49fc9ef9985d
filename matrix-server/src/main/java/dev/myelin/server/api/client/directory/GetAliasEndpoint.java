package dev.myelin.server.api.client.directory;

import dev.myelin.http.endpoint.EndpointSpec;
import dev.myelin.http.endpoint.JsonEndpoint;
import dev.myelin.http.endpoint.NoBody;
import dev.myelin.http.server.MatrixRequest;
import dev.myelin.server.handler.directory.RoomDirectoryHandler;
import java.util.List;

/**
 * {@code GET /_matrix/client/v3/directory/room/{roomAlias}}: the room a local alias names and servers to join it through.
 *
 * @see <a href="https://spec.matrix.org/v1.19/client-server-api/#get_matrixclientv3directoryroomroomalias">spec</a>
 */
public final class GetAliasEndpoint extends JsonEndpoint<NoBody, GetAliasEndpoint.Response> {
    /** The endpoint's definition, shared with clients. */
    public static final EndpointSpec<NoBody, Response> SPEC = EndpointSpec.get(
                    "/_matrix/client/v3/directory/room/{roomAlias}", Response.class)
            .optionalAuth();

    /** The room the alias names and servers that can help to join it. */
    public record Response(String roomId, List<String> servers) {}

    private final RoomDirectoryHandler directory;

    public GetAliasEndpoint(RoomDirectoryHandler directory) {
        super(SPEC);
        this.directory = directory;
    }

    @Override
    protected Response handle(MatrixRequest request, NoBody body) {
        var resolved = directory.resolve(RoomDirectoryHandler.parseAlias(request.pathParam("roomAlias")));
        return new Response(resolved.room().value(), resolved.servers());
    }
}
