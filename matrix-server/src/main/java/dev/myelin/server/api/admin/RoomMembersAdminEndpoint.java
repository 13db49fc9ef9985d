package dev.myelin.server.api.admin;

import dev.myelin.http.endpoint.EndpointSpec;
import dev.myelin.http.endpoint.JsonEndpoint;
import dev.myelin.http.endpoint.NoBody;
import dev.myelin.http.server.MatrixRequest;
import dev.myelin.server.api.PathParams;
import dev.myelin.server.handler.admin.AdminRooms;
import dev.myelin.server.handler.admin.AdminUsers;
import java.util.List;

/** {@code GET /_synapse/admin/v1/rooms/{roomId}/members}: a room's joined members, for the server's admins. */
public final class RoomMembersAdminEndpoint extends JsonEndpoint<NoBody, RoomMembersAdminEndpoint.Response> {
    /** The endpoint's definition, shared with clients. */
    public static final EndpointSpec<NoBody, Response> SPEC =
            EndpointSpec.get("/_synapse/admin/v1/rooms/{roomId}/members", Response.class);

    /** The members' user ids and how many there are. */
    public record Response(List<String> members, long total) {}

    private final AdminUsers admins;
    private final AdminRooms rooms;

    public RoomMembersAdminEndpoint(AdminUsers admins, AdminRooms rooms) {
        super(SPEC);
        this.admins = admins;
        this.rooms = rooms;
    }

    @Override
    protected Response handle(MatrixRequest request, NoBody body) {
        admins.requireAdmin(request.requireRequester());
        List<String> members = rooms.members(PathParams.roomId(request));
        return new Response(members, members.size());
    }
}
