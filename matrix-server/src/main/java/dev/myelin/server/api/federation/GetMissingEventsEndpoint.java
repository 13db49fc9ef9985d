package dev.myelin.server.api.federation;

import dev.myelin.federation.api.FederationEndpoints;
import dev.myelin.federation.api.MissingEventsRequest;
import dev.myelin.federation.api.MissingEventsResponse;
import dev.myelin.http.endpoint.EndpointSpec;
import dev.myelin.http.endpoint.JsonEndpoint;
import dev.myelin.http.server.MatrixRequest;
import dev.myelin.server.handler.federation.RoomReadsForServers;

/**
 * {@code POST /_matrix/federation/v1/get_missing_events/{roomId}}: the events before
 * {@code latest_events} that the asking server lacks, down to {@code earliest_events}; at most
 * {@code limit} (10 by default, capped at 20), oldest first.
 *
 * @see <a href="https://spec.matrix.org/v1.19/server-server-api/#post_matrixfederationv1get_missing_eventsroomid">spec</a>
 */
public final class GetMissingEventsEndpoint extends JsonEndpoint<MissingEventsRequest, MissingEventsResponse> {
    /** The endpoint's definition, shared with the federation client. */
    public static final EndpointSpec<MissingEventsRequest, MissingEventsResponse> SPEC =
            FederationEndpoints.GET_MISSING_EVENTS;

    private final RoomReadsForServers reads;

    public GetMissingEventsEndpoint(RoomReadsForServers reads) {
        super(SPEC);
        this.reads = reads;
    }

    @Override
    protected MissingEventsResponse handle(MatrixRequest request, MissingEventsRequest body) {
        return reads.missingEvents(request.requireOrigin(), request.pathParam("roomId"), body);
    }
}
