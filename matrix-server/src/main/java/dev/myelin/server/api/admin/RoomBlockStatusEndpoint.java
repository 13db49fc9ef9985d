package dev.myelin.server.api.admin;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.myelin.http.endpoint.EndpointSpec;
import dev.myelin.http.endpoint.JsonEndpoint;
import dev.myelin.http.endpoint.NoBody;
import dev.myelin.http.server.MatrixRequest;
import dev.myelin.server.api.PathParams;
import dev.myelin.server.handler.admin.AdminUsers;
import dev.myelin.storage.room.BlockedRoomStore;
import java.util.Optional;

/**
 * {@code GET /_synapse/admin/v1/rooms/{roomId}/block}: whether a room is blocked and, if so, by
 * which admin ({@code user_id}), for the server's admins.
 */
public final class RoomBlockStatusEndpoint extends JsonEndpoint<NoBody, RoomBlockStatusEndpoint.Response> {
    /** The endpoint's definition, shared with clients. */
    public static final EndpointSpec<NoBody, Response> SPEC =
            EndpointSpec.get("/_synapse/admin/v1/rooms/{roomId}/block", Response.class);

    /** Whether the room is blocked, and by whom when it is. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Response(boolean block, String userId) {}

    private final AdminUsers admins;
    private final BlockedRoomStore blocked;

    public RoomBlockStatusEndpoint(AdminUsers admins, BlockedRoomStore blocked) {
        super(SPEC);
        this.admins = admins;
        this.blocked = blocked;
    }

    @Override
    protected Response handle(MatrixRequest request, NoBody body) {
        admins.requireAdmin(request.requireRequester());
        Optional<String> by = blocked.blockedBy(PathParams.roomId(request));
        return new Response(by.isPresent(), by.orElse(null));
    }
}
