package dev.myelin.server.api.client.directory;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.myelin.http.server.AuthRequirement;
import dev.myelin.http.server.Endpoint;
import dev.myelin.http.server.HttpMethod;
import dev.myelin.http.server.MatrixRequest;
import dev.myelin.http.server.MatrixResponse;
import dev.myelin.server.api.PathParams;
import dev.myelin.server.handler.directory.RoomDirectoryHandler;

/**
 * {@code GET /_matrix/client/v3/directory/list/room/{roomId}}: whether the room is in the public directory.
 *
 * @see <a href="https://spec.matrix.org/v1.19/client-server-api/#get_matrixclientv3directorylistroomroomid">spec</a>
 */
public final class GetRoomVisibilityEndpoint implements Endpoint {
    private final RoomDirectoryHandler directory;

    public GetRoomVisibilityEndpoint(RoomDirectoryHandler directory) {
        this.directory = directory;
    }

    @Override
    public HttpMethod method() {
        return HttpMethod.GET;
    }

    @Override
    public String path() {
        return "/_matrix/client/v3/directory/list/room/{roomId}";
    }

    @Override
    public AuthRequirement auth() {
        return AuthRequirement.OPTIONAL;
    }

    @Override
    public MatrixResponse handle(MatrixRequest request) {
        boolean listed = directory.isListed(PathParams.roomId(request));
        return MatrixResponse.ok(JsonNodeFactory.instance.objectNode().put("visibility", listed ? "public" : "private"));
    }
}
