package dev.myelin.server.api.admin;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.myelin.http.endpoint.EndpointSpec;
import dev.myelin.http.endpoint.JsonEndpoint;
import dev.myelin.http.endpoint.NoBody;
import dev.myelin.http.server.MatrixRequest;
import dev.myelin.server.api.QueryParams;
import dev.myelin.server.handler.admin.AdminRooms;
import dev.myelin.server.handler.admin.AdminUsers;
import dev.myelin.storage.event.Direction;
import java.util.List;

/**
 * {@code GET /_synapse/admin/v1/rooms}: every room this server knows, for its admins, in Synapse's
 * shape (what synadm's {@code room list} reads): paged with {@code from} and {@code limit} (default
 * 100), sorted by {@code order_by} (default {@code name}) in direction {@code dir}, filtered by
 * {@code search_term}.
 */
public final class ListRoomsEndpoint extends JsonEndpoint<NoBody, ListRoomsEndpoint.Response> {
    /** The endpoint's definition, shared with clients. */
    public static final EndpointSpec<NoBody, Response> SPEC =
            EndpointSpec.get("/_synapse/admin/v1/rooms", Response.class);

    /** A page of rooms; the batches are the {@code from} of the next and previous pages. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Response(
            List<AdminRooms.ListedRoom> rooms, long offset, long totalRooms, Long nextBatch, Long prevBatch) {}

    private final AdminUsers admins;
    private final AdminRooms rooms;

    public ListRoomsEndpoint(AdminUsers admins, AdminRooms rooms) {
        super(SPEC);
        this.admins = admins;
        this.rooms = rooms;
    }

    @Override
    protected Response handle(MatrixRequest request, NoBody body) {
        admins.requireAdmin(request.requireRequester());
        AdminRooms.Page page = rooms.list(
                QueryParams.nonNegativeInt(request, "from", 0),
                QueryParams.nonNegativeInt(request, "limit", 100),
                request.queryParam("order_by").orElse("name"),
                QueryParams.direction(request, Direction.FORWARDS) == Direction.BACKWARDS,
                request.queryParam("search_term").filter(s -> !s.isEmpty()));
        return new Response(
                page.rooms(),
                page.offset(),
                page.totalRooms(),
                page.nextBatch().orElse(null),
                page.prevBatch().orElse(null));
    }
}
