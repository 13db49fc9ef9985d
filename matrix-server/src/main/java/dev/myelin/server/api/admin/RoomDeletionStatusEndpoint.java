package dev.myelin.server.api.admin;

import dev.myelin.http.endpoint.EndpointSpec;
import dev.myelin.http.endpoint.JsonEndpoint;
import dev.myelin.http.endpoint.NoBody;
import dev.myelin.http.error.MatrixException;
import dev.myelin.http.server.MatrixRequest;
import dev.myelin.server.api.PathParams;
import dev.myelin.server.handler.admin.AdminUsers;
import dev.myelin.server.handler.admin.RoomDeletions;
import java.util.List;

/**
 * {@code GET /_synapse/admin/v2/rooms/{roomId}/delete_status}: the deletions of a room this process
 * ran or runs ({@code results}); 404 {@code M_NOT_FOUND} when there are none.
 */
public final class RoomDeletionStatusEndpoint extends JsonEndpoint<NoBody, RoomDeletionStatusEndpoint.Response> {
    /** The endpoint's definition, shared with clients. */
    public static final EndpointSpec<NoBody, Response> SPEC =
            EndpointSpec.get("/_synapse/admin/v2/rooms/{roomId}/delete_status", Response.class);

    /** Each deletion's status. */
    public record Response(List<RoomDeletions.Status> results) {}

    private final AdminUsers admins;
    private final RoomDeletions deletions;

    public RoomDeletionStatusEndpoint(AdminUsers admins, RoomDeletions deletions) {
        super(SPEC);
        this.admins = admins;
        this.deletions = deletions;
    }

    @Override
    protected Response handle(MatrixRequest request, NoBody body) {
        admins.requireAdmin(request.requireRequester());
        List<RoomDeletions.Status> found = deletions.byRoom(PathParams.roomId(request));
        if (found.isEmpty()) {
            throw MatrixException.notFound("No delete task for room");
        }
        return new Response(found);
    }
}
