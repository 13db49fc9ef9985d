package dev.myelin.server.api.client.directory;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.myelin.http.server.AuthRequirement;
import dev.myelin.http.server.Endpoint;
import dev.myelin.http.server.HttpMethod;
import dev.myelin.http.server.MatrixRequest;
import dev.myelin.http.server.MatrixResponse;
import dev.myelin.server.api.JsonFields;
import dev.myelin.server.handler.directory.RoomDirectoryHandler;

/**
 * {@code PUT /_matrix/client/v3/directory/room/{roomAlias}}: maps a local alias to a room; 409 when taken.
 *
 * @see <a href="https://spec.matrix.org/v1.19/client-server-api/#put_matrixclientv3directoryroomroomalias">spec</a>
 */
public final class PutAliasEndpoint implements Endpoint {
    private final RoomDirectoryHandler directory;

    public PutAliasEndpoint(RoomDirectoryHandler directory) {
        this.directory = directory;
    }

    @Override
    public HttpMethod method() {
        return HttpMethod.PUT;
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
        var user = request.requireRequester().userId();
        var alias = RoomDirectoryHandler.parseAlias(request.pathParam("roomAlias"));
        ObjectNode body = request.jsonObject();
        String roomId = JsonFields.requireString(body, "room_id");
        directory.createAlias(user, alias, parseRoomId(roomId));
        return MatrixResponse.ok(JsonNodeFactory.instance.objectNode());
    }

    private static dev.myelin.core.id.RoomId parseRoomId(String value) {
        try {
            return dev.myelin.core.id.RoomId.parse(value);
        } catch (IllegalArgumentException e) {
            throw dev.myelin.http.error.MatrixException.invalidParam("room_id", e.getMessage());
        }
    }
}
