package dev.myelin.server.api.client.room;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.myelin.http.error.MatrixException;
import dev.myelin.http.server.Endpoint;
import dev.myelin.http.server.HttpMethod;
import dev.myelin.http.server.MatrixRequest;
import dev.myelin.http.server.MatrixResponse;
import dev.myelin.server.api.PathParams;
import dev.myelin.server.handler.room.RoomTimelineHandler;
import dev.myelin.storage.event.StoredEvent;

/**
 * {@code GET /_matrix/client/v1/rooms/{roomId}/timestamp_to_event?ts=&dir=}: the closest event the
 * user may see, looking only at this server's copy of the room.
 *
 * @see <a href="https://spec.matrix.org/v1.19/client-server-api/#get_matrixclientv1roomsroomidtimestamp_to_event">spec</a>
 */
public final class TimestampToEventEndpoint implements Endpoint {
    private final RoomTimelineHandler timeline;

    public TimestampToEventEndpoint(RoomTimelineHandler timeline) {
        this.timeline = timeline;
    }

    @Override
    public HttpMethod method() {
        return HttpMethod.GET;
    }

    @Override
    public String path() {
        return "/_matrix/client/v1/rooms/{roomId}/timestamp_to_event";
    }

    @Override
    public MatrixResponse handle(MatrixRequest request) {
        var user = request.requireRequester().userId();
        var room = PathParams.roomId(request);
        String rawTs = request.requireQueryParam("ts");
        long ts;
        try {
            ts = Long.parseLong(rawTs);
        } catch (NumberFormatException e) {
            throw MatrixException.invalidParam("ts", "must be an integer");
        }
        var direction = MessagesEndpoint.direction(request.requireQueryParam("dir"));
        StoredEvent event = timeline.eventNear(user, room, ts, direction);
        return MatrixResponse.ok(JsonNodeFactory.instance.objectNode()
                .put("event_id", event.eventId().value())
                .put("origin_server_ts", event.pdu().originServerTs()));
    }
}
