package dev.myelin.server.api.client.room;

import com.fasterxml.jackson.databind.node.ArrayNode;
import dev.myelin.http.endpoint.EndpointSpec;
import dev.myelin.http.endpoint.JsonEndpoint;
import dev.myelin.http.endpoint.NoBody;
import dev.myelin.http.server.MatrixRequest;
import dev.myelin.server.api.PathParams;
import dev.myelin.server.api.QueryParams;
import dev.myelin.server.handler.filter.FilterParser;
import dev.myelin.server.handler.filter.RoomEventFilter;
import dev.myelin.server.handler.room.ClientEvents;
import dev.myelin.server.handler.room.PaginationTokens;
import dev.myelin.server.handler.room.RoomTimelineHandler;
import dev.myelin.server.handler.room.RoomTokens;
import dev.myelin.storage.event.Direction;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * {@code GET /_matrix/client/v3/rooms/{roomId}/messages}: pages through the timeline with
 * {@code dir}, {@code from}/{@code to} tokens ({@link RoomTokens}, or {@code /sync} tokens: see
 * {@link PaginationTokens}), {@code limit} (default 10, at most {@value RoomTimelineHandler#MAX_LIMIT})
 * and a {@code filter} ({@link FilterParser#roomEventFilterParam}).
 * {@code end} is left out only on an empty page: a page that reached the room's start still has
 * one, as Synapse gives it, and the next request from there is the empty page without one.
 *
 * @see <a href="https://spec.matrix.org/v1.19/client-server-api/#get_matrixclientv3roomsroomidmessages">spec</a>
 */
public final class MessagesEndpoint extends JsonEndpoint<NoBody, MessagesEndpoint.Response> {
    /** The endpoint's definition, shared with clients. */
    public static final EndpointSpec<NoBody, Response> SPEC =
            EndpointSpec.get("/_matrix/client/v3/rooms/{roomId}/messages", Response.class);

    private static final int DEFAULT_LIMIT = 10;

    /**
     * One page of the timeline. Events stay JSON trees, since their content is free-form.
     *
     * @param start the token the page starts at
     * @param end the token to continue from; absent when there is nothing more to see
     * @param chunk the events, in the order of {@code dir}
     * @param state the member events of the chunk's senders, only when the filter lazy-loads members
     */
    public record Response(
            String start,
            @Nullable String end,
            ArrayNode chunk,
            @Nullable ArrayNode state) {}

    private final RoomTimelineHandler timeline;
    private final ClientEvents clientEvents;
    private final PaginationTokens tokens;

    public MessagesEndpoint(RoomTimelineHandler timeline, ClientEvents clientEvents, PaginationTokens tokens) {
        super(SPEC);
        this.timeline = timeline;
        this.clientEvents = clientEvents;
        this.tokens = tokens;
    }

    @Override
    protected Response handle(MatrixRequest request, NoBody body) {
        ClientEvents.Viewer viewer = ClientEvents.Viewer.of(request.requireRequester());
        var user = request.requireRequester().userId();
        var room = PathParams.roomId(request);
        Direction direction = QueryParams.direction(request, Direction.BACKWARDS);
        Optional<String> fromToken = QueryParams.paginationToken(request, "from");
        var from = fromToken.map(t -> tokens.position(room, t));
        var to = QueryParams.paginationToken(request, "to").map(t -> tokens.position(room, t));
        int limit = QueryParams.nonNegativeInt(request, "limit", DEFAULT_LIMIT);
        RoomEventFilter filter =
                FilterParser.roomEventFilterParam(request.queryParam("filter").orElse(null));
        RoomTimelineHandler.Messages page = timeline.messages(user, room, from, to, direction, limit, filter);
        return new Response(
                fromToken.orElseGet(() -> RoomTokens.encode(page.start())),
                page.end().map(RoomTokens::encode).orElse(null),
                clientEvents.formatAll(page.chunk(), viewer),
                filter.lazyLoadMembers() ? clientEvents.formatAll(page.state(), viewer) : null);
    }
}
