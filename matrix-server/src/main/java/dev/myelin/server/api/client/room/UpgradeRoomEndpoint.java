package dev.myelin.server.api.client.room;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.myelin.http.server.Endpoint;
import dev.myelin.http.server.HttpMethod;
import dev.myelin.http.server.MatrixRequest;
import dev.myelin.http.server.MatrixResponse;
import dev.myelin.server.api.JsonFields;
import dev.myelin.server.api.PathParams;
import dev.myelin.server.handler.upgrade.RoomUpgrader;

/**
 * {@code POST /_matrix/client/v3/rooms/{roomId}/upgrade}: {@code new_version} (required); answers
 * {@code replacement_room}. 400 {@code M_UNSUPPORTED_ROOM_VERSION} for versions this server cannot
 * create, 403 without the power to send {@code m.room.tombstone}.
 *
 * @see <a href="https://spec.matrix.org/v1.19/client-server-api/#post_matrixclientv3roomsroomidupgrade">spec</a>
 */
public final class UpgradeRoomEndpoint implements Endpoint {
    private final RoomUpgrader upgrader;

    public UpgradeRoomEndpoint(RoomUpgrader upgrader) {
        this.upgrader = upgrader;
    }

    @Override
    public HttpMethod method() {
        return HttpMethod.POST;
    }

    @Override
    public String path() {
        return "/_matrix/client/v3/rooms/{roomId}/upgrade";
    }

    @Override
    public MatrixResponse handle(MatrixRequest request) {
        var user = request.requireRequester().userId();
        var room = PathParams.roomId(request);
        String version = JsonFields.requireString(request.jsonObject(), "new_version");
        return MatrixResponse.ok(JsonNodeFactory.instance.objectNode()
                .put("replacement_room", upgrader.upgrade(user, room, version).value()));
    }
}
