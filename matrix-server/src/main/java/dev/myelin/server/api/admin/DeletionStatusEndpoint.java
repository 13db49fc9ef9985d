package dev.myelin.server.api.admin;

import dev.myelin.http.endpoint.EndpointSpec;
import dev.myelin.http.endpoint.JsonEndpoint;
import dev.myelin.http.endpoint.NoBody;
import dev.myelin.http.error.MatrixException;
import dev.myelin.http.server.MatrixRequest;
import dev.myelin.server.handler.admin.AdminUsers;
import dev.myelin.server.handler.admin.RoomDeletions;

/**
 * {@code GET /_synapse/admin/v2/rooms/delete_status/{deleteId}}: one deletion's status ({@code
 * scheduled}, {@code active}, {@code complete} or {@code failed} with an {@code error}) and what
 * shutting the room down did; 404 {@code M_NOT_FOUND} for an unknown id.
 */
public final class DeletionStatusEndpoint extends JsonEndpoint<NoBody, RoomDeletions.Status> {
    /** The endpoint's definition, shared with clients. */
    public static final EndpointSpec<NoBody, RoomDeletions.Status> SPEC =
            EndpointSpec.get("/_synapse/admin/v2/rooms/delete_status/{deleteId}", RoomDeletions.Status.class);

    private final AdminUsers admins;
    private final RoomDeletions deletions;

    public DeletionStatusEndpoint(AdminUsers admins, RoomDeletions deletions) {
        super(SPEC);
        this.admins = admins;
        this.deletions = deletions;
    }

    @Override
    protected RoomDeletions.Status handle(MatrixRequest request, NoBody body) {
        admins.requireAdmin(request.requireRequester());
        return deletions
                .byId(request.pathParam("deleteId"))
                .orElseThrow(() -> MatrixException.notFound("delete id not found"));
    }
}
