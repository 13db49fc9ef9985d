package dev.myelin.server.area;

import dev.myelin.http.server.HttpMethod;
import dev.myelin.http.server.Router;
import dev.myelin.server.api.client.directory.DeleteAliasEndpoint;
import dev.myelin.server.api.client.directory.DeleteAppServiceRoomListEndpoint;
import dev.myelin.server.api.client.directory.GetAliasEndpoint;
import dev.myelin.server.api.client.directory.GetRoomVisibilityEndpoint;
import dev.myelin.server.api.client.directory.PublicRoomsEndpoint;
import dev.myelin.server.api.client.directory.PutAliasEndpoint;
import dev.myelin.server.api.client.directory.RoomAliasesEndpoint;
import dev.myelin.server.api.client.directory.SetAppServiceRoomListEndpoint;
import dev.myelin.server.api.client.directory.SetRoomVisibilityEndpoint;
import dev.myelin.server.api.federation.QueryDirectoryEndpoint;
import dev.myelin.server.handler.appservice.AppServiceQueries;
import dev.myelin.server.handler.directory.FederatedAliases;
import dev.myelin.server.handler.directory.RemotePublicRooms;
import dev.myelin.server.handler.directory.RoomDirectoryHandler;
import dev.myelin.storage.appservice.AppServiceRoomListStore;
import dev.myelin.storage.room.RoomAliasStore;

/**
 * The room directory: room aliases (other servers' resolved by asking them, this server's served to
 * them by {@code /_matrix/federation/v1/query/directory}), rooms' published visibility and the
 * public rooms list, with the lists application services publish rooms in.
 */
public final class DirectoryArea {
    private DirectoryArea() {}

    /** Installs the directory's endpoints and returns its handler, which other servers' directory reads share. */
    public static RoomDirectoryHandler install(
            Router router,
            Core core,
            RoomCore rooms,
            RoomAliasStore aliases,
            FederationOutbound federation,
            AppServiceQueries appServiceQueries) {
        RoomDirectoryHandler directory = new RoomDirectoryHandler(
                aliases,
                rooms.state(),
                rooms.rooms(),
                rooms.roomState(),
                rooms.visibility(),
                rooms.creator(),
                core.serverName(),
                new FederatedAliases(federation.client()),
                core.appServices(),
                appServiceQueries,
                new AppServiceRoomListStore(core.database()));
        router.register(new PutAliasEndpoint(directory));
        router.register(new GetAliasEndpoint(directory));
        router.register(new DeleteAliasEndpoint(directory));
        router.register(new RoomAliasesEndpoint(directory));
        router.register(new GetRoomVisibilityEndpoint(directory));
        router.register(new SetRoomVisibilityEndpoint(directory));
        router.register(new SetAppServiceRoomListEndpoint(directory));
        router.register(new DeleteAppServiceRoomListEndpoint(directory));
        RemotePublicRooms remote = new RemotePublicRooms(federation.client());
        router.register(new PublicRoomsEndpoint(directory, remote, core.serverName(), HttpMethod.GET));
        router.register(new PublicRoomsEndpoint(directory, remote, core.serverName(), HttpMethod.POST));
        router.register(new QueryDirectoryEndpoint(directory));
        return directory;
    }
}
