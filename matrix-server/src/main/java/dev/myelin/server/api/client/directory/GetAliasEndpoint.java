package dev.myelin.server.api.client.directory;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.myelin.http.server.AuthRequirement;
import dev.myelin.http.server.Endpoint;
import dev.myelin.http.server.HttpMethod;
import dev.myelin.http.server.MatrixRequest;
import dev.myelin.http.server.MatrixResponse;
import dev.myelin.server.handler.directory.RoomDirectoryHandler;

/**
 * {@code GET /_matrix/client/v3/directory/room/{roomAlias}}: the room a local alias names and servers to join it through.
 *
 * @see <a href="https://spec.matrix.org/v1.19/client-server-api/#get_matrixclientv3directoryroomroomalias">spec</a>
 */
public final class GetAliasEndpoint implements Endpoint {
    private final RoomDirectoryHandler directory;

    public GetAliasEndpoint(RoomDirectoryHandler directory) {
        this.directory = directory;
    }

    @Override
    public HttpMethod method() {
        return HttpMethod.GET;
    }

    @Override
    public String path() {
        return "/_matrix/client/v3/directory/room/{roomAlias}";
    }

    @Override
    public AuthRequirement auth() {
        return AuthRequirement.OPTIONAL;
    }

    @Override
    public MatrixResponse handle(MatrixRequest request) {
        var resolved = directory.resolve(RoomDirectoryHandler.parseAlias(request.pathParam("roomAlias")));
        ObjectNode body = JsonNodeFactory.instance.objectNode().put("room_id", resolved.room().value());
        var servers = body.putArray("servers");
        resolved.servers().forEach(servers::add);
        return MatrixResponse.ok(body);
    }
}
