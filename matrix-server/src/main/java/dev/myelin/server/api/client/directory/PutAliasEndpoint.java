package dev.myelin.server.api.client.directory;

import dev.myelin.core.id.RoomId;
import dev.myelin.http.endpoint.EmptyResponse;
import dev.myelin.http.endpoint.EndpointJson;
import dev.myelin.http.endpoint.EndpointSpec;
import dev.myelin.http.endpoint.JsonEndpoint;
import dev.myelin.http.error.MatrixException;
import dev.myelin.http.server.MatrixRequest;
import dev.myelin.server.handler.directory.RoomDirectoryHandler;

/**
 * {@code PUT /_matrix/client/v3/directory/room/{roomAlias}}: maps a local alias to a room; 409 when taken.
 *
 * @see <a href="https://spec.matrix.org/v1.19/client-server-api/#put_matrixclientv3directoryroomroomalias">spec</a>
 */
public final class PutAliasEndpoint extends JsonEndpoint<PutAliasEndpoint.Request, EmptyResponse> {
    /** The endpoint's definition, shared with clients. */
    public static final EndpointSpec<Request, EmptyResponse> SPEC =
            EndpointSpec.put("/_matrix/client/v3/directory/room/{roomAlias}", Request.class, EmptyResponse.class);

    /** The room the alias is to name; 400 {@code M_INVALID_PARAM} when it is not a room id. */
    public record Request(String roomId) {
        /** Checks that {@code room_id} is present and a room id. */
        public Request {
            EndpointJson.required(roomId, "room_id");
            try {
                RoomId.parse(roomId);
            } catch (IllegalArgumentException e) {
                throw MatrixException.invalidParam("room_id", e.getMessage());
            }
        }

        /** The room. */
        public RoomId room() {
            return RoomId.parse(roomId);
        }
    }

    private final RoomDirectoryHandler directory;

    public PutAliasEndpoint(RoomDirectoryHandler directory) {
        super(SPEC);
        this.directory = directory;
    }

    @Override
    protected EmptyResponse handle(MatrixRequest request, Request body) {
        var requester = request.requireRequester();
        var alias = RoomDirectoryHandler.parseAlias(request.pathParam("roomAlias"));
        directory.createAlias(requester.userId(), requester.appService(), alias, body.room());
        return EmptyResponse.INSTANCE;
    }
}
