package dev.myelin.server.api.federation;

import dev.myelin.federation.api.EventAuthResponse;
import dev.myelin.federation.api.FederationEndpoints;
import dev.myelin.http.endpoint.EndpointSpec;
import dev.myelin.http.endpoint.JsonEndpoint;
import dev.myelin.http.endpoint.NoBody;
import dev.myelin.http.server.MatrixRequest;
import dev.myelin.server.handler.federation.RoomReadsForServers;

/**
 * {@code GET /_matrix/federation/v1/event_auth/{roomId}/{eventId}}: the auth chain of an event.
 *
 * @see <a href="https://spec.matrix.org/v1.19/server-server-api/#get_matrixfederationv1event_authroomideventid">spec</a>
 */
public final class EventAuthEndpoint extends JsonEndpoint<NoBody, EventAuthResponse> {
    /** The endpoint's definition, shared with the federation client. */
    public static final EndpointSpec<NoBody, EventAuthResponse> SPEC = FederationEndpoints.EVENT_AUTH;

    private final RoomReadsForServers reads;

    public EventAuthEndpoint(RoomReadsForServers reads) {
        super(SPEC);
        this.reads = reads;
    }

    @Override
    protected EventAuthResponse handle(MatrixRequest request, NoBody body) {
        return reads.eventAuth(request.requireOrigin(), request.pathParam("roomId"), request.pathParam("eventId"));
    }
}
