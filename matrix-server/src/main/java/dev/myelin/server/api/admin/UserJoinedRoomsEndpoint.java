package dev.myelin.server.api.admin;

import dev.myelin.core.event.content.Membership;
import dev.myelin.core.id.RoomId;
import dev.myelin.core.id.UserId;
import dev.myelin.http.endpoint.EndpointSpec;
import dev.myelin.http.endpoint.JsonEndpoint;
import dev.myelin.http.endpoint.NoBody;
import dev.myelin.http.server.MatrixRequest;
import dev.myelin.server.handler.admin.AdminUsers;
import dev.myelin.storage.state.StateStore;
import java.util.List;

/** {@code GET /_synapse/admin/v1/users/{userId}/joined_rooms}: the rooms a local user is joined to, for server admins. */
public final class UserJoinedRoomsEndpoint extends JsonEndpoint<NoBody, UserJoinedRoomsEndpoint.Response> {
    /** The endpoint's definition, shared with clients. */
    public static final EndpointSpec<NoBody, Response> SPEC =
            EndpointSpec.get("/_synapse/admin/v1/users/{userId}/joined_rooms", Response.class);

    /** The room ids and how many there are. */
    public record Response(List<String> joinedRooms, int total) {}

    private final AdminUsers admin;
    private final StateStore state;

    public UserJoinedRoomsEndpoint(AdminUsers admin, StateStore state) {
        super(SPEC);
        this.admin = admin;
        this.state = state;
    }

    @Override
    protected Response handle(MatrixRequest request, NoBody body) {
        admin.requireAdmin(request.requireRequester());
        UserId user = admin.localUser(request.pathParam("userId"), "Can only look up local users");
        admin.existing(user);
        List<String> rooms = state.roomsForUser(user, Membership.JOIN).stream()
                .map(RoomId::value)
                .sorted()
                .toList();
        return new Response(rooms, rooms.size());
    }
}
