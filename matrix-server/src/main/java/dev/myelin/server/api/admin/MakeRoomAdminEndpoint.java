package dev.myelin.server.api.admin;

import dev.myelin.core.id.InvalidIdentifierException;
import dev.myelin.core.id.UserId;
import dev.myelin.http.endpoint.EmptyResponse;
import dev.myelin.http.endpoint.EndpointSpec;
import dev.myelin.http.endpoint.JsonEndpoint;
import dev.myelin.http.error.MatrixException;
import dev.myelin.http.server.MatrixRequest;
import dev.myelin.server.handler.admin.AdminUsers;
import dev.myelin.server.handler.admin.RoomAdminGrant;
import org.jspecify.annotations.Nullable;

/**
 * {@code POST /_synapse/admin/v1/rooms/{roomIdOrAlias}/make_room_admin}: the room's most powerful
 * local member gives {@code user_id} (default: the calling admin) the same power level, and the
 * user is joined if needed.
 */
public final class MakeRoomAdminEndpoint extends JsonEndpoint<MakeRoomAdminEndpoint.Request, EmptyResponse> {
    /** The endpoint's definition, shared with clients. */
    public static final EndpointSpec<Request, EmptyResponse> SPEC = EndpointSpec.post(
                    "/_synapse/admin/v1/rooms/{roomIdOrAlias}/make_room_admin", Request.class, EmptyResponse.class)
            .bodyMayBeAbsent();

    /** Who is to become an admin of the room; the caller when absent. */
    public record Request(@Nullable String userId) {}

    private final AdminUsers admins;
    private final RoomAdminGrant grant;

    public MakeRoomAdminEndpoint(AdminUsers admins, RoomAdminGrant grant) {
        super(SPEC);
        this.admins = admins;
        this.grant = grant;
    }

    @Override
    protected EmptyResponse handle(MatrixRequest request, Request body) {
        admins.requireAdmin(request.requireRequester());
        UserId user;
        try {
            user = body.userId() == null ? request.requireRequester().userId() : UserId.parse(body.userId());
        } catch (InvalidIdentifierException e) {
            throw MatrixException.invalidParam("user_id", "not a user id: " + body.userId());
        }
        grant.grant(request.pathParam("roomIdOrAlias"), user);
        return EmptyResponse.INSTANCE;
    }
}
