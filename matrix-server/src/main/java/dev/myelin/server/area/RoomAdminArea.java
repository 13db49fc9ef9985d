package dev.myelin.server.area;

import dev.myelin.http.server.Router;
import dev.myelin.server.api.admin.BlockRoomEndpoint;
import dev.myelin.server.api.admin.ListRoomsEndpoint;
import dev.myelin.server.api.admin.RoomBlockStatusEndpoint;
import dev.myelin.server.api.admin.RoomDetailsEndpoint;
import dev.myelin.server.api.admin.RoomMembersAdminEndpoint;
import dev.myelin.server.api.admin.RoomMessagesAdminEndpoint;
import dev.myelin.server.api.admin.RoomStateAdminEndpoint;
import dev.myelin.server.handler.admin.AdminRooms;
import dev.myelin.server.handler.admin.AdminUsers;
import dev.myelin.server.handler.room.PaginationTokens;
import dev.myelin.storage.account.ProfileStore;
import dev.myelin.storage.room.RoomSummaryStore;

/**
 * The rooms part of Synapse's admin API, for server admins: listing and inspecting rooms.
 *
 * @see <a href="https://element-hq.github.io/synapse/latest/admin_api/rooms.html">Synapse's room admin API</a>
 */
public final class RoomAdminArea {
    private RoomAdminArea() {}

    public static void install(Router router, Core core, RoomCore rooms, RoomsArea roomsArea, ProfileStore profiles) {
        AdminUsers admins = new AdminUsers(core.users(), profiles, core.serverName());
        AdminRooms adminRooms = new AdminRooms(
                new RoomSummaryStore(core.database(), core.serverName()),
                rooms.roomState(),
                rooms.state(),
                rooms.events());
        router.register(new ListRoomsEndpoint(admins, adminRooms));
        router.register(new RoomDetailsEndpoint(admins, adminRooms));
        router.register(new RoomMembersAdminEndpoint(admins, adminRooms));
        router.register(new RoomStateAdminEndpoint(admins, adminRooms, rooms.clientEvents()));
        router.register(new RoomMessagesAdminEndpoint(
                admins, adminRooms, rooms.clientEvents(), new PaginationTokens(rooms.events())));
        router.register(new BlockRoomEndpoint(admins, roomsArea.blocked()));
        router.register(new RoomBlockStatusEndpoint(admins, roomsArea.blocked()));
    }
}
