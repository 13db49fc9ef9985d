package dev.myelin.server.api.federation;

import dev.myelin.federation.api.FederationEndpoints;
import dev.myelin.federation.api.RoomStateResponse;
import dev.myelin.http.endpoint.EndpointSpec;
import dev.myelin.http.endpoint.JsonEndpoint;
import dev.myelin.http.endpoint.NoBody;
import dev.myelin.http.server.MatrixRequest;
import dev.myelin.server.handler.federation.RoomReadsForServers;

/**
 * {@code GET /_matrix/federation/v1/state/{roomId}?event_id=}: the state of the room before an
 * event (its own change left out), as PDUs, with their auth chain.
 *
 * @see <a href="https://spec.matrix.org/v1.19/server-server-api/#get_matrixfederationv1stateroomid">spec</a>
 */
public final class RoomStateEndpoint extends JsonEndpoint<NoBody, RoomStateResponse> {
    /** The endpoint's definition, shared with the federation client. */
    public static final EndpointSpec<NoBody, RoomStateResponse> SPEC = FederationEndpoints.ROOM_STATE;

    private final RoomReadsForServers reads;

    public RoomStateEndpoint(RoomReadsForServers reads) {
        super(SPEC);
        this.reads = reads;
    }

    @Override
    protected RoomStateResponse handle(MatrixRequest request, NoBody body) {
        return reads.state(request.requireOrigin(), request.pathParam("roomId"), request.requireQueryParam("event_id"));
    }
}
