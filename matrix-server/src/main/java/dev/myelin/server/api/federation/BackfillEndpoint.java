package dev.myelin.server.api.federation;

import dev.myelin.federation.api.FederationEndpoints;
import dev.myelin.federation.api.PduTransaction;
import dev.myelin.http.endpoint.EndpointSpec;
import dev.myelin.http.endpoint.JsonEndpoint;
import dev.myelin.http.endpoint.NoBody;
import dev.myelin.http.error.MatrixException;
import dev.myelin.http.server.MatrixRequest;
import dev.myelin.server.api.QueryParams;
import dev.myelin.server.handler.federation.RoomReadsForServers;
import java.util.List;

/**
 * {@code GET /_matrix/federation/v1/backfill/{roomId}?v=…&limit=}: the events named by {@code v}
 * (repeated for several) and those before them, newest first, up to {@code limit} (a positive
 * integer, capped at 100).
 *
 * @see <a href="https://spec.matrix.org/v1.19/server-server-api/#get_matrixfederationv1backfillroomid">spec</a>
 */
public final class BackfillEndpoint extends JsonEndpoint<NoBody, PduTransaction> {
    /** The endpoint's definition, shared with the federation client. */
    public static final EndpointSpec<NoBody, PduTransaction> SPEC = FederationEndpoints.BACKFILL;

    private final RoomReadsForServers reads;

    public BackfillEndpoint(RoomReadsForServers reads) {
        super(SPEC);
        this.reads = reads;
    }

    @Override
    protected PduTransaction handle(MatrixRequest request, NoBody body) {
        List<String> from = request.queryParams("v");
        if (from.isEmpty()) {
            throw MatrixException.missingParam("v");
        }
        request.requireQueryParam("limit");
        int limit = QueryParams.positiveInt(request, "limit", RoomReadsForServers.MAX_BACKFILL);
        return reads.backfill(request.requireOrigin(), request.pathParam("roomId"), from, limit);
    }
}
