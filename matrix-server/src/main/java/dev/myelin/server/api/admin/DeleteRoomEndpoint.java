package dev.myelin.server.api.admin;

import dev.myelin.http.endpoint.EndpointSpec;
import dev.myelin.http.endpoint.JsonEndpoint;
import dev.myelin.http.server.HttpMethod;
import dev.myelin.http.server.MatrixRequest;
import dev.myelin.server.api.PathParams;
import dev.myelin.server.handler.admin.AdminUsers;
import dev.myelin.server.handler.admin.RoomDeletions;

/**
 * {@code DELETE /_synapse/admin/v1/rooms/{roomId}} (and the older {@code POST .../delete}): Synapse's
 * first delete room API, which answers once the room is shut down and purged, with what was done
 * ({@code kicked_users}, {@code failed_to_kick_users}, {@code local_aliases}, {@code new_room_id}).
 */
public final class DeleteRoomEndpoint extends JsonEndpoint<DeleteRoomRequest, RoomDeletions.Shutdown> {
    /** The endpoint's definition, shared with clients. */
    public static final EndpointSpec<DeleteRoomRequest, RoomDeletions.Shutdown> SPEC = EndpointSpec.of(
                    HttpMethod.DELETE,
                    "/_synapse/admin/v1/rooms/{roomId}",
                    DeleteRoomRequest.class,
                    RoomDeletions.Shutdown.class)
            .bodyMayBeAbsent();

    /** The same API at the path older admin tools call. */
    public static final EndpointSpec<DeleteRoomRequest, RoomDeletions.Shutdown> POST_SPEC = EndpointSpec.post(
                    "/_synapse/admin/v1/rooms/{roomId}/delete", DeleteRoomRequest.class, RoomDeletions.Shutdown.class)
            .bodyMayBeAbsent();

    private final AdminUsers admins;
    private final RoomDeletions deletions;

    public DeleteRoomEndpoint(
            EndpointSpec<DeleteRoomRequest, RoomDeletions.Shutdown> spec, AdminUsers admins, RoomDeletions deletions) {
        super(spec);
        this.admins = admins;
        this.deletions = deletions;
    }

    @Override
    protected RoomDeletions.Shutdown handle(MatrixRequest request, DeleteRoomRequest body) {
        admins.requireAdmin(request.requireRequester());
        return deletions.deleteNow(body.toRequest(
                PathParams.roomId(request), request.requireRequester().userId()));
    }
}
