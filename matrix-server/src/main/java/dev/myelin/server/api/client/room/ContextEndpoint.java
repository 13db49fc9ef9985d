package dev.myelin.server.api.client.room;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.myelin.http.endpoint.EndpointSpec;
import dev.myelin.http.endpoint.JsonEndpoint;
import dev.myelin.http.endpoint.NoBody;
import dev.myelin.http.server.MatrixRequest;
import dev.myelin.server.api.PathParams;
import dev.myelin.server.api.QueryParams;
import dev.myelin.server.handler.filter.FilterParser;
import dev.myelin.server.handler.filter.RoomEventFilter;
import dev.myelin.server.handler.room.ClientEvents;
import dev.myelin.server.handler.room.RoomTimelineHandler;
import dev.myelin.server.handler.room.RoomTokens;

/**
 * {@code GET /_matrix/client/v3/rooms/{roomId}/context/{eventId}}: the event, up to {@code limit}
 * (default 10) events around it split evenly before and after, the state at the last of them, and
 * tokens to paginate on from either side. {@code filter} is read as for {@link MessagesEndpoint}.
 *
 * @see <a href="https://spec.matrix.org/v1.19/client-server-api/#get_matrixclientv3roomsroomidcontexteventid">spec</a>
 */
public final class ContextEndpoint extends JsonEndpoint<NoBody, ContextEndpoint.Response> {
    /** The endpoint's definition, shared with clients. */
    public static final EndpointSpec<NoBody, Response> SPEC =
            EndpointSpec.get("/_matrix/client/v3/rooms/{roomId}/context/{eventId}", Response.class);

    private static final int DEFAULT_LIMIT = 10;

    /**
     * The event and its surroundings. Events stay JSON trees, since their content is free-form.
     *
     * @param start a token to paginate backwards from the earliest event
     * @param end a token to paginate forwards from the latest event
     * @param event the requested event
     * @param eventsBefore events before it, newest first
     * @param eventsAfter events after it, oldest first
     * @param state the room state at the last event returned
     */
    public record Response(
            String start,
            String end,
            ObjectNode event,
            ArrayNode eventsBefore,
            ArrayNode eventsAfter,
            ArrayNode state) {}

    private final RoomTimelineHandler timeline;
    private final ClientEvents clientEvents;

    public ContextEndpoint(RoomTimelineHandler timeline, ClientEvents clientEvents) {
        super(SPEC);
        this.timeline = timeline;
        this.clientEvents = clientEvents;
    }

    @Override
    protected Response handle(MatrixRequest request, NoBody body) {
        ClientEvents.Viewer viewer = ClientEvents.Viewer.of(request.requireRequester());
        var user = request.requireRequester().userId();
        int limit = QueryParams.nonNegativeInt(request, "limit", DEFAULT_LIMIT);
        RoomEventFilter filter =
                FilterParser.roomEventFilterParam(request.queryParam("filter").orElse(null));
        RoomTimelineHandler.Context context =
                timeline.context(user, PathParams.roomId(request), PathParams.eventId(request), limit, filter);
        return new Response(
                RoomTokens.encode(context.start()),
                RoomTokens.encode(context.end()),
                clientEvents.format(context.event(), viewer),
                clientEvents.formatAll(context.before(), viewer),
                clientEvents.formatAll(context.after(), viewer),
                clientEvents.formatAll(context.state(), viewer));
    }
}
