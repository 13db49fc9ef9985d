package dev.myelin.server.api.federation;

import dev.myelin.federation.api.FederationEndpoints;
import dev.myelin.federation.api.RoomStateIdsResponse;
import dev.myelin.http.endpoint.EndpointSpec;
import dev.myelin.http.endpoint.JsonEndpoint;
import dev.myelin.http.endpoint.NoBody;
import dev.myelin.http.server.MatrixRequest;
import dev.myelin.server.handler.federation.RoomReadsForServers;

/**
 * {@code GET /_matrix/federation/v1/state_ids/{roomId}?event_id=}: {@link RoomStateEndpoint}
 * as event ids.
 *
 * @see <a href="https://spec.matrix.org/v1.19/server-server-api/#get_matrixfederationv1state_idsroomid">spec</a>
 */
public final class RoomStateIdsEndpoint extends JsonEndpoint<NoBody, RoomStateIdsResponse> {
    /** The endpoint's definition, shared with the federation client. */
    public static final EndpointSpec<NoBody, RoomStateIdsResponse> SPEC = FederationEndpoints.ROOM_STATE_IDS;

    private final RoomReadsForServers reads;

    public RoomStateIdsEndpoint(RoomReadsForServers reads) {
        super(SPEC);
        this.reads = reads;
    }

    @Override
    protected RoomStateIdsResponse handle(MatrixRequest request, NoBody body) {
        return reads.stateIds(
                request.requireOrigin(), request.pathParam("roomId"), request.requireQueryParam("event_id"));
    }
}
