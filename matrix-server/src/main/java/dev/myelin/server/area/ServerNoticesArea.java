package dev.myelin.server.area;

import dev.myelin.core.room.RoomVersion;
import dev.myelin.http.server.Router;
import dev.myelin.server.api.admin.BackgroundUpdatesEndpoint;
import dev.myelin.server.api.admin.SendServerNoticeEndpoint;
import dev.myelin.server.config.ServerNoticesConfig;
import dev.myelin.server.handler.admin.AdminUsers;
import dev.myelin.server.handler.admin.ServerNotices;
import dev.myelin.server.handler.federation.FetchedKeyLookup;
import dev.myelin.server.handler.federation.InviteExchange;
import dev.myelin.server.handler.room.RoomCreator;
import dev.myelin.storage.account.ProfileStore;
import dev.myelin.storage.account.TagStore;
import dev.myelin.storage.room.RoomAliasStore;
import dev.myelin.storage.room.ServerNoticeRoomStore;
import java.util.Optional;

/**
 * The server-wide part of Synapse's admin API: server notices ({@code send_server_notice}) and
 * the background updates status tools poll.
 */
public final class ServerNoticesArea {
    private ServerNoticesArea() {}

    /** @param config {@code server_notices}; without it, sending a notice is 400 */
    public static void install(
            Router router,
            Core core,
            RoomCore rooms,
            ProfileStore profiles,
            FederationOutbound federation,
            RoomVersion roomVersion,
            Optional<ServerNoticesConfig> config) {
        AdminUsers admin = new AdminUsers(core.users(), profiles, core.serverName());
        InviteExchange invites = new InviteExchange(
                federation.client(), rooms.state(), rooms.events(), new FetchedKeyLookup(federation.keys()));
        RoomCreator roomCreator = new RoomCreator(
                new RoomAliasStore(core.database()),
                rooms.rooms(),
                profiles,
                rooms.creator(),
                core.serverName(),
                invites);
        ServerNotices notices = new ServerNotices(
                config,
                core.users(),
                profiles,
                new ServerNoticeRoomStore(core.database()),
                roomCreator,
                rooms.creator(),
                rooms.state(),
                new TagStore(core.database(), core.streams()),
                roomVersion,
                core.serverName());
        router.register(new SendServerNoticeEndpoint(admin, notices, rooms.transactions(), false));
        router.register(new SendServerNoticeEndpoint(admin, notices, rooms.transactions(), true));
        for (BackgroundUpdatesEndpoint.Kind kind : BackgroundUpdatesEndpoint.Kind.values()) {
            router.register(new BackgroundUpdatesEndpoint(admin, kind));
        }
    }
}
