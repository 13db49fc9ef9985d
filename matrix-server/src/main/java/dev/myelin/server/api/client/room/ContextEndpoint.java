package dev.myelin.server.api.client.room;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.myelin.http.server.Endpoint;
import dev.myelin.http.server.HttpMethod;
import dev.myelin.http.server.MatrixRequest;
import dev.myelin.http.server.MatrixResponse;
import dev.myelin.server.api.PathParams;
import dev.myelin.server.handler.room.ClientEvents;
import dev.myelin.server.handler.room.RoomEventFilter;
import dev.myelin.server.handler.room.RoomTimelineHandler;
import dev.myelin.server.handler.room.RoomTokens;

/**
 * {@code GET /_matrix/client/v3/rooms/{roomId}/context/{eventId}}: the event, up to {@code limit}
 * (default 10) events around it split evenly before and after, the state at the last of them, and
 * tokens to paginate on from either side.
 *
 * @see <a href="https://spec.matrix.org/v1.19/client-server-api/#get_matrixclientv3roomsroomidcontexteventid">spec</a>
 */
public final class ContextEndpoint implements Endpoint {
    private static final int DEFAULT_LIMIT = 10;

    private final RoomTimelineHandler timeline;
    private final ClientEvents clientEvents;

    public ContextEndpoint(RoomTimelineHandler timeline, ClientEvents clientEvents) {
        this.timeline = timeline;
        this.clientEvents = clientEvents;
    }

    @Override
    public HttpMethod method() {
        return HttpMethod.GET;
    }

    @Override
    public String path() {
        return "/_matrix/client/v3/rooms/{roomId}/context/{eventId}";
    }

    @Override
    public MatrixResponse handle(MatrixRequest request) {
        ClientEvents.Viewer viewer = ClientEvents.Viewer.of(request.requireRequester());
        var user = request.requireRequester().userId();
        int limit = Bodies.intParam(request, "limit").orElse(DEFAULT_LIMIT);
        RoomEventFilter filter = RoomEventFilter.parse(request.queryParam("filter"));
        RoomTimelineHandler.Context context = timeline.context(user, PathParams.roomId(request),
                PathParams.eventId(request), limit, filter);
        ObjectNode body = JsonNodeFactory.instance.objectNode();
        body.put("start", RoomTokens.encode(context.start()));
        body.put("end", RoomTokens.encode(context.end()));
        body.set("event", clientEvents.format(context.event(), viewer));
        body.set("events_before", clientEvents.formatAll(context.before(), viewer));
        body.set("events_after", clientEvents.formatAll(context.after(), viewer));
        body.set("state", clientEvents.formatAll(context.state(), viewer));
        return MatrixResponse.ok(body);
    }
}
