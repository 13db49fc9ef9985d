package dev.myelin.server.api.client.room;

import dev.myelin.http.endpoint.EndpointSpec;
import dev.myelin.http.endpoint.JsonEndpoint;
import dev.myelin.http.endpoint.NoBody;
import dev.myelin.http.error.MatrixException;
import dev.myelin.http.server.MatrixRequest;
import dev.myelin.server.api.PathParams;
import dev.myelin.server.api.QueryParams;
import dev.myelin.server.handler.room.RoomTimelineHandler;
import dev.myelin.storage.event.StoredEvent;

/**
 * {@code GET /_matrix/client/v1/rooms/{roomId}/timestamp_to_event?ts=&dir=}: the closest event the
 * user may see, looking only at this server's copy of the room.
 *
 * @see <a href="https://spec.matrix.org/v1.19/client-server-api/#get_matrixclientv1roomsroomidtimestamp_to_event">spec</a>
 */
public final class TimestampToEventEndpoint extends JsonEndpoint<NoBody, TimestampToEventEndpoint.Response> {
    /** The endpoint's definition, shared with clients. */
    public static final EndpointSpec<NoBody, Response> SPEC =
            EndpointSpec.get("/_matrix/client/v1/rooms/{roomId}/timestamp_to_event", Response.class);

    /** The event found and its timestamp. */
    public record Response(String eventId, long originServerTs) {}

    private final RoomTimelineHandler timeline;

    public TimestampToEventEndpoint(RoomTimelineHandler timeline) {
        super(SPEC);
        this.timeline = timeline;
    }

    @Override
    protected Response handle(MatrixRequest request, NoBody body) {
        var user = request.requireRequester().userId();
        var room = PathParams.roomId(request);
        String rawTs = request.requireQueryParam("ts");
        long ts;
        try {
            ts = Long.parseLong(rawTs);
        } catch (NumberFormatException e) {
            throw MatrixException.invalidParam("ts", "must be an integer");
        }
        var direction = QueryParams.direction(request.requireQueryParam("dir"));
        StoredEvent event = timeline.eventNear(user, room, ts, direction);
        return new Response(event.eventId().value(), event.pdu().originServerTs());
    }
}
