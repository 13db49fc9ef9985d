package dev.myelin.server.api.client.directory;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.myelin.http.server.AuthRequirement;
import dev.myelin.http.server.Endpoint;
import dev.myelin.http.server.HttpMethod;
import dev.myelin.http.server.MatrixRequest;
import dev.myelin.http.server.MatrixResponse;
import dev.myelin.server.api.JsonFields;
import dev.myelin.server.api.PathParams;
import dev.myelin.server.handler.directory.RoomDirectoryHandler;

/**
 * {@code PUT /_matrix/client/v3/directory/list/room/{roomId}}: lists or unlists the room; needs the power to change its aliases.
 *
 * @see <a href="https://spec.matrix.org/v1.19/client-server-api/#put_matrixclientv3directorylistroomroomid">spec</a>
 */
public final class SetRoomVisibilityEndpoint implements Endpoint {
    private final RoomDirectoryHandler directory;

    public SetRoomVisibilityEndpoint(RoomDirectoryHandler directory) {
        this.directory = directory;
    }

    @Override
    public HttpMethod method() {
        return HttpMethod.PUT;
    }

    @Override
    public String path() {
        return "/_matrix/client/v3/directory/list/room/{roomId}";
    }

    @Override
    public AuthRequirement auth() {
        return AuthRequirement.REQUIRED;
    }

    @Override
    public MatrixResponse handle(MatrixRequest request) {
        var user = request.requireRequester().userId();
        var room = PathParams.roomId(request);
        String visibility = JsonFields.optionalString(request.jsonObject(), "visibility").orElse("public");
        if (!visibility.equals("public") && !visibility.equals("private")) {
            throw dev.myelin.http.error.MatrixException.invalidParam("visibility", "must be public or private");
        }
        directory.setListed(user, room, visibility.equals("public"));
        return MatrixResponse.ok(JsonNodeFactory.instance.objectNode());
    }
}
