package dev.myelin.server.api.client.directory;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.myelin.http.server.AuthRequirement;
import dev.myelin.http.server.Endpoint;
import dev.myelin.http.server.HttpMethod;
import dev.myelin.http.server.MatrixRequest;
import dev.myelin.http.server.MatrixResponse;
import dev.myelin.server.api.PathParams;
import dev.myelin.server.handler.directory.RoomDirectoryHandler;

/**
 * {@code GET /_matrix/client/v3/rooms/{roomId}/aliases}: the local aliases of a room, for its members.
 *
 * @see <a href="https://spec.matrix.org/v1.19/client-server-api/#get_matrixclientv3roomsroomidaliases">spec</a>
 */
public final class RoomAliasesEndpoint implements Endpoint {
    private final RoomDirectoryHandler directory;

    public RoomAliasesEndpoint(RoomDirectoryHandler directory) {
        this.directory = directory;
    }

    @Override
    public HttpMethod method() {
        return HttpMethod.GET;
    }

    @Override
    public String path() {
        return "/_matrix/client/v3/rooms/{roomId}/aliases";
    }

    @Override
    public AuthRequirement auth() {
        return AuthRequirement.REQUIRED;
    }

    @Override
    public MatrixResponse handle(MatrixRequest request) {
        ObjectNode body = JsonNodeFactory.instance.objectNode();
        var aliases = body.putArray("aliases");
        directory.aliases(request.requireRequester().userId(), PathParams.roomId(request))
                .forEach(a -> aliases.add(a.toString()));
        return MatrixResponse.ok(body);
    }
}
