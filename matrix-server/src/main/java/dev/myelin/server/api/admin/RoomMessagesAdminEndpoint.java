package dev.myelin.server.api.admin;

import com.fasterxml.jackson.databind.node.ArrayNode;
import dev.myelin.http.endpoint.EndpointSpec;
import dev.myelin.http.endpoint.JsonEndpoint;
import dev.myelin.http.endpoint.NoBody;
import dev.myelin.http.server.MatrixRequest;
import dev.myelin.server.api.PathParams;
import dev.myelin.server.api.QueryParams;
import dev.myelin.server.handler.admin.AdminRooms;
import dev.myelin.server.handler.admin.AdminUsers;
import dev.myelin.server.handler.filter.FilterParser;
import dev.myelin.server.handler.room.ClientEvents;
import dev.myelin.server.handler.room.PaginationTokens;
import dev.myelin.server.handler.room.RoomTokens;
import dev.myelin.storage.event.Direction;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * {@code GET /_synapse/admin/v1/rooms/{roomId}/messages}: the room's timeline as the client's
 * {@code /messages} pages it ({@code from}, {@code to}, {@code dir}, {@code limit}, {@code filter}),
 * for the server's admins whether or not they are in the room, every event included.
 */
public final class RoomMessagesAdminEndpoint extends JsonEndpoint<NoBody, RoomMessagesAdminEndpoint.Response> {
    /** The endpoint's definition, shared with clients. */
    public static final EndpointSpec<NoBody, Response> SPEC =
            EndpointSpec.get("/_synapse/admin/v1/rooms/{roomId}/messages", Response.class);

    /** One page: {@code end} is absent when there is nothing more. */
    public record Response(String start, @Nullable String end, ArrayNode chunk) {}

    private final AdminUsers admins;
    private final AdminRooms rooms;
    private final ClientEvents clientEvents;
    private final PaginationTokens tokens;

    public RoomMessagesAdminEndpoint(
            AdminUsers admins, AdminRooms rooms, ClientEvents clientEvents, PaginationTokens tokens) {
        super(SPEC);
        this.admins = admins;
        this.rooms = rooms;
        this.clientEvents = clientEvents;
        this.tokens = tokens;
    }

    @Override
    protected Response handle(MatrixRequest request, NoBody body) {
        admins.requireAdmin(request.requireRequester());
        var room = PathParams.roomId(request);
        Optional<String> fromToken = QueryParams.paginationToken(request, "from");
        var from = fromToken.map(t -> tokens.position(room, t));
        var to = QueryParams.paginationToken(request, "to").map(t -> tokens.position(room, t));
        AdminRooms.Messages page = rooms.messages(
                room,
                from,
                to,
                QueryParams.direction(request, Direction.BACKWARDS),
                QueryParams.nonNegativeInt(request, "limit", 10),
                FilterParser.roomEventFilterParam(request.queryParam("filter").orElse(null)));
        return new Response(
                fromToken.orElseGet(() -> RoomTokens.encode(page.start())),
                page.end().map(RoomTokens::encode).orElse(null),
                clientEvents.formatAll(page.chunk(), ClientEvents.Viewer.of(request.requireRequester())));
    }
}
