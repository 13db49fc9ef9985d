package dev.myelin.server.api.federation;

import dev.myelin.core.id.RoomAlias;
import dev.myelin.http.endpoint.EndpointJson;
import dev.myelin.http.endpoint.EndpointSpec;
import dev.myelin.http.endpoint.JsonEndpoint;
import dev.myelin.http.endpoint.NoBody;
import dev.myelin.http.server.MatrixRequest;
import dev.myelin.server.handler.directory.RoomDirectoryHandler;
import java.util.List;

/**
 * {@code GET /_matrix/federation/v1/query/directory?room_alias=…}: the room one of this server's
 * aliases names, and servers in it, for another server; signed with X-Matrix. 404
 * {@code M_NOT_FOUND} for an alias that does not exist, 400 {@code M_INVALID_PARAM} for an alias
 * of another server or an invalid one, 400 {@code M_MISSING_PARAM} without one.
 *
 * @see <a href="https://spec.matrix.org/v1.19/server-server-api/#get_matrixfederationv1querydirectory">spec</a>
 */
public final class QueryDirectoryEndpoint extends JsonEndpoint<NoBody, QueryDirectoryEndpoint.Response> {
    /** The endpoint's definition, shared with clients. */
    public static final EndpointSpec<NoBody, Response> SPEC = EndpointSpec.get(
                    "/_matrix/federation/v1/query/directory", Response.class)
            .serverAuth();

    /**
     * The room an alias names.
     *
     * @param roomId the room
     * @param servers servers in the room, which can help to join it
     */
    public record Response(String roomId, List<String> servers) {

        /** Requires both fields, so that an answer without them counts as a malformed one. */
        public Response {
            EndpointJson.required(roomId, "room_id");
            servers = List.copyOf(EndpointJson.required(servers, "servers"));
        }
    }

    private final RoomDirectoryHandler directory;

    public QueryDirectoryEndpoint(RoomDirectoryHandler directory) {
        super(SPEC);
        this.directory = directory;
    }

    @Override
    protected Response handle(MatrixRequest request, NoBody body) {
        request.requireOrigin();
        RoomAlias alias = RoomDirectoryHandler.parseAlias(request.requireQueryParam("room_alias"));
        RoomDirectoryHandler.Resolved resolved = directory.resolveLocal(alias);
        return new Response(resolved.room().value(), resolved.servers());
    }
}
