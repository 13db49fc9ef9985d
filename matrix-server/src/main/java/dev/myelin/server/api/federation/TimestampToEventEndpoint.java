package dev.myelin.server.api.federation;

import dev.myelin.federation.api.FederationEndpoints;
import dev.myelin.federation.api.TimestampToEventResponse;
import dev.myelin.http.endpoint.EndpointSpec;
import dev.myelin.http.endpoint.JsonEndpoint;
import dev.myelin.http.endpoint.NoBody;
import dev.myelin.http.error.MatrixException;
import dev.myelin.http.server.MatrixRequest;
import dev.myelin.server.api.QueryParams;
import dev.myelin.server.handler.federation.RoomReadsForServers;
import dev.myelin.storage.event.Direction;

/**
 * {@code GET /_matrix/federation/v1/timestamp_to_event/{roomId}?ts=&dir=f|b}: the room's event
 * closest to a time, in a direction; 404 {@code M_NOT_FOUND} when there is none.
 *
 * @see <a href="https://spec.matrix.org/v1.19/server-server-api/#get_matrixfederationv1timestamp_to_eventroomid">spec</a>
 */
public final class TimestampToEventEndpoint extends JsonEndpoint<NoBody, TimestampToEventResponse> {
    /** The endpoint's definition, shared with the federation client. */
    public static final EndpointSpec<NoBody, TimestampToEventResponse> SPEC = FederationEndpoints.TIMESTAMP_TO_EVENT;

    private final RoomReadsForServers reads;

    public TimestampToEventEndpoint(RoomReadsForServers reads) {
        super(SPEC);
        this.reads = reads;
    }

    @Override
    protected TimestampToEventResponse handle(MatrixRequest request, NoBody body) {
        String ts = request.requireQueryParam("ts");
        long timestamp;
        try {
            timestamp = Long.parseLong(ts);
        } catch (NumberFormatException e) {
            throw MatrixException.invalidParam("ts", "must be an integer");
        }
        Direction direction = QueryParams.direction(request.requireQueryParam("dir"));
        return reads.timestampToEvent(request.requireOrigin(), request.pathParam("roomId"), timestamp, direction);
    }
}
