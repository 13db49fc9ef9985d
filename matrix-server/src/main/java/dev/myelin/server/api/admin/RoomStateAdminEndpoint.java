package dev.myelin.server.api.admin;

import com.fasterxml.jackson.databind.node.ArrayNode;
import dev.myelin.http.endpoint.EndpointSpec;
import dev.myelin.http.endpoint.JsonEndpoint;
import dev.myelin.http.endpoint.NoBody;
import dev.myelin.http.server.MatrixRequest;
import dev.myelin.server.api.PathParams;
import dev.myelin.server.handler.admin.AdminRooms;
import dev.myelin.server.handler.admin.AdminUsers;
import dev.myelin.server.handler.room.ClientEvents;

/** {@code GET /_synapse/admin/v1/rooms/{roomId}/state}: a room's current state events, for the server's admins. */
public final class RoomStateAdminEndpoint extends JsonEndpoint<NoBody, RoomStateAdminEndpoint.Response> {
    /** The endpoint's definition, shared with clients. */
    public static final EndpointSpec<NoBody, Response> SPEC =
            EndpointSpec.get("/_synapse/admin/v1/rooms/{roomId}/state", Response.class);

    /** The state events in the client format. */
    public record Response(ArrayNode state) {}

    private final AdminUsers admins;
    private final AdminRooms rooms;
    private final ClientEvents clientEvents;

    public RoomStateAdminEndpoint(AdminUsers admins, AdminRooms rooms, ClientEvents clientEvents) {
        super(SPEC);
        this.admins = admins;
        this.rooms = rooms;
        this.clientEvents = clientEvents;
    }

    @Override
    protected Response handle(MatrixRequest request, NoBody body) {
        admins.requireAdmin(request.requireRequester());
        return new Response(clientEvents.formatAll(
                rooms.state(PathParams.roomId(request)), ClientEvents.Viewer.of(request.requireRequester())));
    }
}
