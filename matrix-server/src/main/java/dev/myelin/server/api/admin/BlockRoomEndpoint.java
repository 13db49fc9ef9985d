package dev.myelin.server.api.admin;

import dev.myelin.http.endpoint.EndpointSpec;
import dev.myelin.http.endpoint.JsonEndpoint;
import dev.myelin.http.error.MatrixException;
import dev.myelin.http.server.MatrixRequest;
import dev.myelin.server.api.PathParams;
import dev.myelin.server.handler.admin.AdminUsers;
import dev.myelin.storage.room.BlockedRoomStore;
import org.jspecify.annotations.Nullable;

/**
 * {@code PUT /_synapse/admin/v1/rooms/{roomId}/block}: a server admin blocks a room ({@code
 * {"block": true}}) or lifts the block ({@code false}). Local users cannot join a blocked room, nor
 * does this server join it over federation. A room this server does not know yet can be blocked.
 */
public final class BlockRoomEndpoint extends JsonEndpoint<BlockRoomEndpoint.Request, BlockRoomEndpoint.Response> {
    /** The endpoint's definition, shared with clients. */
    public static final EndpointSpec<Request, Response> SPEC =
            EndpointSpec.put("/_synapse/admin/v1/rooms/{roomId}/block", Request.class, Response.class);

    /** Whether the room is to be blocked (required). */
    public record Request(@Nullable Boolean block) {}

    /** Whether the room is blocked now. */
    public record Response(boolean block) {}

    private final AdminUsers admins;
    private final BlockedRoomStore blocked;

    public BlockRoomEndpoint(AdminUsers admins, BlockedRoomStore blocked) {
        super(SPEC);
        this.admins = admins;
        this.blocked = blocked;
    }

    @Override
    protected Response handle(MatrixRequest request, Request body) {
        var admin = request.requireRequester().userId();
        admins.requireAdmin(request.requireRequester());
        var room = PathParams.roomId(request);
        if (body.block() == null) {
            throw MatrixException.missingParam("block");
        }
        if (body.block()) {
            blocked.block(room, admin);
        } else {
            blocked.unblock(room);
        }
        return new Response(body.block());
    }
}
