package dev.myelin.server.api.admin;

import dev.myelin.http.endpoint.EndpointSpec;
import dev.myelin.http.endpoint.JsonEndpoint;
import dev.myelin.http.endpoint.NoBody;
import dev.myelin.http.error.MatrixException;
import dev.myelin.http.server.MatrixRequest;
import dev.myelin.server.handler.admin.AdminUsers;
import dev.myelin.server.handler.admin.HistoryPurges;

/**
 * {@code GET /_synapse/admin/v1/purge_history_status/{purgeId}}: a history purge's status ({@code
 * active}, {@code complete} or {@code failed}); 404 {@code M_NOT_FOUND} for an unknown id.
 */
public final class PurgeHistoryStatusEndpoint extends JsonEndpoint<NoBody, HistoryPurges.Status> {
    /** The endpoint's definition, shared with clients. */
    public static final EndpointSpec<NoBody, HistoryPurges.Status> SPEC =
            EndpointSpec.get("/_synapse/admin/v1/purge_history_status/{purgeId}", HistoryPurges.Status.class);

    private final AdminUsers admins;
    private final HistoryPurges purges;

    public PurgeHistoryStatusEndpoint(AdminUsers admins, HistoryPurges purges) {
        super(SPEC);
        this.admins = admins;
        this.purges = purges;
    }

    @Override
    protected HistoryPurges.Status handle(MatrixRequest request, NoBody body) {
        admins.requireAdmin(request.requireRequester());
        return purges.status(request.pathParam("purgeId"))
                .orElseThrow(() -> MatrixException.notFound("purge id not found"));
    }
}
