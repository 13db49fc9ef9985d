package dev.myelin.server.api.client.room;

import dev.myelin.core.id.UserId;
import dev.myelin.http.endpoint.EndpointSpec;
import dev.myelin.http.endpoint.JsonEndpoint;
import dev.myelin.http.endpoint.NoBody;
import dev.myelin.http.error.MatrixException;
import dev.myelin.http.server.MatrixRequest;
import dev.myelin.server.handler.room.MutualRooms;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * {@code GET /_matrix/client/v1/mutual_rooms?user_id=&from=}: the rooms both the requester and
 * {@code user_id} are joined to, a page at a time. A missing or malformed {@code user_id}, one's
 * own id, or a {@code from} this server did not give is 400 {@code M_INVALID_PARAM}; a user who
 * does not exist shares no rooms.
 *
 * @see <a href="https://spec.matrix.org/v1.19/client-server-api/#get_matrixclientv1mutual_rooms">spec</a>
 */
public final class MutualRoomsEndpoint extends JsonEndpoint<NoBody, MutualRoomsEndpoint.Response> {
    /** The endpoint's definition, shared with clients. */
    public static final EndpointSpec<NoBody, Response> SPEC =
            EndpointSpec.get("/_matrix/client/v1/mutual_rooms", Response.class);

    /** One page of shared rooms, the total, and where the next page starts. */
    public record Response(
            List<String> joined, int count, @Nullable String nextBatch) {
        public Response {
            joined = List.copyOf(joined);
        }
    }

    private final MutualRooms mutualRooms;

    public MutualRoomsEndpoint(MutualRooms mutualRooms) {
        super(SPEC);
        this.mutualRooms = mutualRooms;
    }

    @Override
    protected Response handle(MatrixRequest request, NoBody body) {
        UserId requester = request.requireRequester().userId();
        String raw =
                request.queryParam("user_id").orElseThrow(() -> MatrixException.invalidParam("user_id", "is required"));
        UserId other;
        try {
            other = UserId.parse(raw);
        } catch (IllegalArgumentException e) {
            throw MatrixException.invalidParam("user_id", "is not a valid user id");
        }
        if (other.equals(requester)) {
            throw MatrixException.invalidParam("user_id", "must not be your own user id");
        }
        MutualRooms.Page page = mutualRooms.page(requester, other, request.queryParam("from"));
        return new Response(
                page.rooms().stream().map(r -> r.value()).toList(),
                page.count(),
                page.nextBatch().orElse(null));
    }
}
