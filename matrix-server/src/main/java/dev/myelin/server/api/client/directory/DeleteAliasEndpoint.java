package dev.myelin.server.api.client.directory;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.myelin.http.server.AuthRequirement;
import dev.myelin.http.server.Endpoint;
import dev.myelin.http.server.HttpMethod;
import dev.myelin.http.server.MatrixRequest;
import dev.myelin.http.server.MatrixResponse;
import dev.myelin.server.handler.directory.RoomDirectoryHandler;

/**
 * {@code DELETE /_matrix/client/v3/directory/room/{roomAlias}}: by the alias creator or a user who may change the room's aliases.
 *
 * @see <a href="https://spec.matrix.org/v1.19/client-server-api/#delete_matrixclientv3directoryroomroomalias">spec</a>
 */
public final class DeleteAliasEndpoint implements Endpoint {
    private final RoomDirectoryHandler directory;

    public DeleteAliasEndpoint(RoomDirectoryHandler directory) {
        this.directory = directory;
    }

    @Override
    public HttpMethod method() {
        return HttpMethod.DELETE;
    }

    @Override
    public String path() {
        return "/_matrix/client/v3/directory/room/{roomAlias}";
    }

    @Override
    public AuthRequirement auth() {
        return AuthRequirement.REQUIRED;
    }

    @Override
    public MatrixResponse handle(MatrixRequest request) {
        directory.deleteAlias(request.requireRequester().userId(),
                RoomDirectoryHandler.parseAlias(request.pathParam("roomAlias")));
        return MatrixResponse.ok(JsonNodeFactory.instance.objectNode());
    }
}
