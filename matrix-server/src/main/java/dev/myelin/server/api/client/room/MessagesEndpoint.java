package dev.myelin.server.api.client.room;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.myelin.http.error.MatrixException;
import dev.myelin.http.server.Endpoint;
import dev.myelin.http.server.HttpMethod;
import dev.myelin.http.server.MatrixRequest;
import dev.myelin.http.server.MatrixResponse;
import dev.myelin.server.api.PathParams;
import dev.myelin.server.handler.room.ClientEvents;
import dev.myelin.server.handler.room.RoomEventFilter;
import dev.myelin.server.handler.room.RoomTimelineHandler;
import dev.myelin.server.handler.room.RoomTokens;
import dev.myelin.storage.event.Direction;

/**
 * {@code GET /_matrix/client/v3/rooms/{roomId}/messages}: pages through the timeline with
 * {@code dir}, {@code from}/{@code to} tokens ({@link RoomTokens}), {@code limit} (default 10, at most
 * {@value RoomTimelineHandler#MAX_LIMIT}) and a {@code filter}. {@code end} is left out when there is
 * nothing more to see.
 *
 * @see <a href="https://spec.matrix.org/v1.19/client-server-api/#get_matrixclientv3roomsroomidmessages">spec</a>
 */
public final class MessagesEndpoint implements Endpoint {
    private static final int DEFAULT_LIMIT = 10;

    private final RoomTimelineHandler timeline;
    private final ClientEvents clientEvents;

    public MessagesEndpoint(RoomTimelineHandler timeline, ClientEvents clientEvents) {
        this.timeline = timeline;
        this.clientEvents = clientEvents;
    }

    @Override
    public HttpMethod method() {
        return HttpMethod.GET;
    }

    @Override
    public String path() {
        return "/_matrix/client/v3/rooms/{roomId}/messages";
    }

    @Override
    public MatrixResponse handle(MatrixRequest request) {
        ClientEvents.Viewer viewer = ClientEvents.Viewer.of(request.requireRequester());
        var user = request.requireRequester().userId();
        var room = PathParams.roomId(request);
        Direction direction = direction(request.queryParam("dir").orElse("b"));
        var from = request.queryParam("from").map(RoomTokens::decode);
        var to = request.queryParam("to").map(RoomTokens::decode);
        int limit = Bodies.intParam(request, "limit").orElse(DEFAULT_LIMIT);
        RoomEventFilter filter = RoomEventFilter.parse(request.queryParam("filter"));
        RoomTimelineHandler.Messages page = timeline.messages(user, room, from, to, direction, limit, filter);
        ObjectNode body = JsonNodeFactory.instance.objectNode();
        body.put("start", request.queryParam("from").orElseGet(() -> RoomTokens.encode(page.start())));
        page.end().ifPresent(end -> body.put("end", RoomTokens.encode(end)));
        body.set("chunk", clientEvents.formatAll(page.chunk(), viewer));
        if (filter.lazyLoadMembers()) {
            body.set("state", clientEvents.formatAll(page.state(), viewer));
        }
        return MatrixResponse.ok(body);
    }

    static Direction direction(String dir) {
        return switch (dir) {
            case "b" -> Direction.BACKWARDS;
            case "f" -> Direction.FORWARDS;
            default -> throw MatrixException.invalidParam("dir", "must be 'b' or 'f'");
        };
    }
}
