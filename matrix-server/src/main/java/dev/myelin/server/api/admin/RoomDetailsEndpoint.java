package dev.myelin.server.api.admin;

import dev.myelin.http.endpoint.EndpointSpec;
import dev.myelin.http.endpoint.JsonEndpoint;
import dev.myelin.http.endpoint.NoBody;
import dev.myelin.http.server.MatrixRequest;
import dev.myelin.server.api.PathParams;
import dev.myelin.server.handler.admin.AdminRooms;
import dev.myelin.server.handler.admin.AdminUsers;

/**
 * {@code GET /_synapse/admin/v1/rooms/{roomId}}: one room's details for the server's admins, in
 * Synapse's shape (synadm's {@code room details}); 404 {@code M_NOT_FOUND} for an unknown room.
 */
public final class RoomDetailsEndpoint extends JsonEndpoint<NoBody, AdminRooms.Details> {
    /** The endpoint's definition, shared with clients. */
    public static final EndpointSpec<NoBody, AdminRooms.Details> SPEC =
            EndpointSpec.get("/_synapse/admin/v1/rooms/{roomId}", AdminRooms.Details.class);

    private final AdminUsers admins;
    private final AdminRooms rooms;

    public RoomDetailsEndpoint(AdminUsers admins, AdminRooms rooms) {
        super(SPEC);
        this.admins = admins;
        this.rooms = rooms;
    }

    @Override
    protected AdminRooms.Details handle(MatrixRequest request, NoBody body) {
        admins.requireAdmin(request.requireRequester());
        return rooms.details(PathParams.roomId(request));
    }
}
