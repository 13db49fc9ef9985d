package dev.myelin.server.api.admin;

import dev.myelin.http.endpoint.EndpointSpec;
import dev.myelin.http.endpoint.JsonEndpoint;
import dev.myelin.http.server.HttpMethod;
import dev.myelin.http.server.MatrixRequest;
import dev.myelin.server.api.PathParams;
import dev.myelin.server.handler.admin.AdminUsers;
import dev.myelin.server.handler.admin.RoomDeletions;

/**
 * {@code DELETE /_synapse/admin/v2/rooms/{roomId}}: Synapse's delete room API, v2: the room is shut
 * down and purged in the background, and the answer is the deletion's {@code delete_id}, whose
 * progress {@code delete_status} reports.
 */
public final class ScheduleRoomDeletionEndpoint
        extends JsonEndpoint<DeleteRoomRequest, ScheduleRoomDeletionEndpoint.Response> {
    /** The endpoint's definition, shared with clients. */
    public static final EndpointSpec<DeleteRoomRequest, Response> SPEC = EndpointSpec.of(
                    HttpMethod.DELETE, "/_synapse/admin/v2/rooms/{roomId}", DeleteRoomRequest.class, Response.class)
            .bodyMayBeAbsent();

    /** The id the deletion's status is asked for by. */
    public record Response(String deleteId) {}

    private final AdminUsers admins;
    private final RoomDeletions deletions;

    public ScheduleRoomDeletionEndpoint(AdminUsers admins, RoomDeletions deletions) {
        super(SPEC);
        this.admins = admins;
        this.deletions = deletions;
    }

    @Override
    protected Response handle(MatrixRequest request, DeleteRoomRequest body) {
        admins.requireAdmin(request.requireRequester());
        return new Response(deletions.schedule(body.toRequest(
                PathParams.roomId(request), request.requireRequester().userId())));
    }
}
