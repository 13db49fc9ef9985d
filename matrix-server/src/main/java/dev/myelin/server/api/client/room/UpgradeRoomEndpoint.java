package dev.myelin.server.api.client.room;

import dev.myelin.http.endpoint.EndpointJson;
import dev.myelin.http.endpoint.EndpointSpec;
import dev.myelin.http.endpoint.JsonEndpoint;
import dev.myelin.http.server.MatrixRequest;
import dev.myelin.server.api.PathParams;
import dev.myelin.server.handler.upgrade.RoomUpgrader;

/**
 * {@code POST /_matrix/client/v3/rooms/{roomId}/upgrade}: {@code new_version} (required); answers
 * {@code replacement_room}. 400 {@code M_UNSUPPORTED_ROOM_VERSION} for versions this server cannot
 * create, 403 without the power to send {@code m.room.tombstone}.
 *
 * @see <a href="https://spec.matrix.org/v1.19/client-server-api/#post_matrixclientv3roomsroomidupgrade">spec</a>
 */
public final class UpgradeRoomEndpoint extends JsonEndpoint<UpgradeRoomEndpoint.Request, UpgradeRoomEndpoint.Response> {
    /** The endpoint's definition, shared with clients. */
    public static final EndpointSpec<Request, Response> SPEC = EndpointSpec.post(
                    "/_matrix/client/v3/rooms/{roomId}/upgrade", Request.class, Response.class)
            .rateLimited("room_creation");

    /** The room version to upgrade to. */
    public record Request(String newVersion) {
        /** Checks that {@code new_version} is present. */
        public Request {
            EndpointJson.required(newVersion, "new_version");
        }
    }

    /** The id of the new room. */
    public record Response(String replacementRoom) {}

    private final RoomUpgrader upgrader;

    public UpgradeRoomEndpoint(RoomUpgrader upgrader) {
        super(SPEC);
        this.upgrader = upgrader;
    }

    @Override
    protected Response handle(MatrixRequest request, Request body) {
        var user = request.requireRequester().userId();
        var room = PathParams.roomId(request);
        return new Response(upgrader.upgrade(user, room, body.newVersion()).value());
    }
}
