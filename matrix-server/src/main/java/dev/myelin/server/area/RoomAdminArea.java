package dev.myelin.server.area;

import dev.myelin.core.room.RoomVersion;
import dev.myelin.http.server.Router;
import dev.myelin.server.api.admin.BlockRoomEndpoint;
import dev.myelin.server.api.admin.DeleteForwardExtremitiesEndpoint;
import dev.myelin.server.api.admin.DeleteRoomEndpoint;
import dev.myelin.server.api.admin.DeletionStatusEndpoint;
import dev.myelin.server.api.admin.ForwardExtremitiesEndpoint;
import dev.myelin.server.api.admin.ListRoomsEndpoint;
import dev.myelin.server.api.admin.MakeRoomAdminEndpoint;
import dev.myelin.server.api.admin.PurgeHistoryEndpoint;
import dev.myelin.server.api.admin.PurgeHistoryStatusEndpoint;
import dev.myelin.server.api.admin.RoomBlockStatusEndpoint;
import dev.myelin.server.api.admin.RoomDeletionStatusEndpoint;
import dev.myelin.server.api.admin.RoomDetailsEndpoint;
import dev.myelin.server.api.admin.RoomMembersAdminEndpoint;
import dev.myelin.server.api.admin.RoomMessagesAdminEndpoint;
import dev.myelin.server.api.admin.RoomStateAdminEndpoint;
import dev.myelin.server.api.admin.ScheduleRoomDeletionEndpoint;
import dev.myelin.server.handler.admin.AdminForwardExtremities;
import dev.myelin.server.handler.admin.AdminRooms;
import dev.myelin.server.handler.admin.AdminUsers;
import dev.myelin.server.handler.admin.HistoryPurges;
import dev.myelin.server.handler.admin.RoomAdminGrant;
import dev.myelin.server.handler.admin.RoomDeletions;
import dev.myelin.server.handler.room.PaginationTokens;
import dev.myelin.storage.account.ProfileStore;
import dev.myelin.storage.room.ForwardExtremityStore;
import dev.myelin.storage.room.RoomPurger;
import dev.myelin.storage.room.RoomSummaryStore;

/**
 * The rooms part of Synapse's admin API, for server admins: listing and inspecting rooms.
 *
 * @see <a href="https://element-hq.github.io/synapse/latest/admin_api/rooms.html">Synapse's room admin API</a>
 */
public final class RoomAdminArea {
    private RoomAdminArea() {}

    /**
     * Events deleted per transaction when a room or its history is purged. Sends in other rooms wait
     * for at most one chunk: with 100, purging 30,000 events kept their p99 near 230 ms on a busy
     * two-core machine, against over a second with 500, at the same overall rate (~1,900 events/s).
     */
    static final int PURGE_CHUNK = 100;

    public static void install(
            Router router,
            Core core,
            RoomCore rooms,
            RoomsArea roomsArea,
            ProfileStore profiles,
            RoomVersion newRoomVersion) {
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
        RoomPurger purger = new RoomPurger(core.database(), PURGE_CHUNK);
        RoomDeletions deletions = new RoomDeletions(
                core.serverName(),
                core.users(),
                rooms.rooms(),
                rooms.state(),
                roomsArea.membership(),
                roomsArea.roomCreator(),
                rooms.creator(),
                roomsArea.aliases(),
                roomsArea.blocked(),
                purger,
                newRoomVersion);
        router.register(new DeleteRoomEndpoint(DeleteRoomEndpoint.SPEC, admins, deletions));
        router.register(new DeleteRoomEndpoint(DeleteRoomEndpoint.POST_SPEC, admins, deletions));
        router.register(new ScheduleRoomDeletionEndpoint(admins, deletions));
        router.register(new RoomDeletionStatusEndpoint(admins, deletions));
        router.register(new DeletionStatusEndpoint(admins, deletions));
        router.register(new MakeRoomAdminEndpoint(
                admins,
                new RoomAdminGrant(
                        core.serverName(),
                        core.users(),
                        rooms.state(),
                        rooms.roomState(),
                        rooms.creator(),
                        roomsArea.membership())));
        AdminForwardExtremities extremities = new AdminForwardExtremities(
                new ForwardExtremityStore(core.database()), rooms.roomState(), rooms.creator());
        router.register(new ForwardExtremitiesEndpoint(admins, roomsArea.membership(), extremities));
        router.register(new DeleteForwardExtremitiesEndpoint(admins, roomsArea.membership(), extremities));
        HistoryPurges purges = new HistoryPurges(core.serverName(), rooms.roomState(), rooms.events(), purger);
        router.register(new PurgeHistoryEndpoint(PurgeHistoryEndpoint.SPEC, admins, purges));
        router.register(new PurgeHistoryEndpoint(PurgeHistoryEndpoint.WITH_EVENT_SPEC, admins, purges));
        router.register(new PurgeHistoryStatusEndpoint(admins, purges));
    }
}
