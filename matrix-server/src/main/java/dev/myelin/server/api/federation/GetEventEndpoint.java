package dev.myelin.server.api.federation;

import dev.myelin.federation.api.FederationEndpoints;
import dev.myelin.federation.api.PduTransaction;
import dev.myelin.http.endpoint.EndpointSpec;
import dev.myelin.http.endpoint.JsonEndpoint;
import dev.myelin.http.endpoint.NoBody;
import dev.myelin.http.server.MatrixRequest;
import dev.myelin.server.handler.federation.RoomReadsForServers;

/**
 * {@code GET /_matrix/federation/v1/event/{eventId}}: one event for another server, as a
 * transaction of one PDU; redacted when the server may not see it (see {@code ServerVisibility}).
 * 404 {@code M_NOT_FOUND} for an event not stored or rejected, 403 {@code M_FORBIDDEN} when none of
 * the server's users is in its room.
 *
 * @see <a href="https://spec.matrix.org/v1.19/server-server-api/#get_matrixfederationv1eventeventid">spec</a>
 */
public final class GetEventEndpoint extends JsonEndpoint<NoBody, PduTransaction> {
    /** The endpoint's definition, shared with the federation client. */
    public static final EndpointSpec<NoBody, PduTransaction> SPEC = FederationEndpoints.EVENT;

    private final RoomReadsForServers reads;

    public GetEventEndpoint(RoomReadsForServers reads) {
        super(SPEC);
        this.reads = reads;
    }

    @Override
    protected PduTransaction handle(MatrixRequest request, NoBody body) {
        return reads.event(request.requireOrigin(), request.pathParam("eventId"));
    }
}
