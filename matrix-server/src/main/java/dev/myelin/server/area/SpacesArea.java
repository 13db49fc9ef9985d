package dev.myelin.server.area;

import dev.myelin.http.server.Router;
import dev.myelin.server.api.client.room.MutualRoomsEndpoint;
import dev.myelin.server.api.client.space.RoomSummaryEndpoint;
import dev.myelin.server.api.client.space.SpaceHierarchyEndpoint;
import dev.myelin.server.api.federation.FederationSpaceHierarchyEndpoint;
import dev.myelin.server.handler.directory.RoomDirectoryHandler;
import dev.myelin.server.handler.federation.RoomServerAcls;
import dev.myelin.server.handler.room.MutualRooms;
import dev.myelin.server.handler.space.HierarchyForServers;
import dev.myelin.server.handler.space.LocalSpaces;
import dev.myelin.server.handler.space.RemoteHierarchies;
import dev.myelin.server.handler.space.RoomSummaries;
import dev.myelin.server.handler.space.SpaceHierarchy;
import dev.myelin.storage.room.RemoteInviteStore;

/**
 * Spaces and rooms seen from outside: the hierarchy of rooms below a space, for this server's users
 * (asking other servers for the rooms it is not in) and for other servers; the summary of one room;
 * and the rooms two users share.
 */
public final class SpacesArea {
    private SpacesArea() {}

    public static void install(
            Router router, Core core, RoomCore rooms, FederationOutbound federation, RoomDirectoryHandler directory) {
        LocalSpaces local = new LocalSpaces(
                core.serverName(),
                rooms.rooms(),
                rooms.state(),
                rooms.roomState(),
                new RoomServerAcls(rooms.state(), rooms.events()),
                new RemoteInviteStore(core.database()));
        RemoteHierarchies remote = new RemoteHierarchies(core.serverName(), federation.client(), core.clock());
        router.register(new SpaceHierarchyEndpoint(new SpaceHierarchy(local, remote, core.clock())));
        router.register(new FederationSpaceHierarchyEndpoint(new HierarchyForServers(local)));
        RoomSummaries summaries = new RoomSummaries(local, remote, directory);
        router.register(new RoomSummaryEndpoint(summaries, RoomSummaryEndpoint.SPEC));
        router.register(new RoomSummaryEndpoint(summaries, RoomSummaryEndpoint.UNSTABLE));
        router.register(new RoomSummaryEndpoint(summaries, RoomSummaryEndpoint.UNSTABLE_ROOMS));
        router.register(new MutualRoomsEndpoint(new MutualRooms(rooms.state())));
    }
}
