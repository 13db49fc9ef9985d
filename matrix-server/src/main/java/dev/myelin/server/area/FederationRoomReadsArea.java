package dev.myelin.server.area;

import dev.myelin.http.server.HttpMethod;
import dev.myelin.http.server.Router;
import dev.myelin.server.api.federation.BackfillEndpoint;
import dev.myelin.server.api.federation.EventAuthEndpoint;
import dev.myelin.server.api.federation.FederationPublicRoomsEndpoint;
import dev.myelin.server.api.federation.GetEventEndpoint;
import dev.myelin.server.api.federation.GetMissingEventsEndpoint;
import dev.myelin.server.api.federation.RoomStateEndpoint;
import dev.myelin.server.api.federation.RoomStateIdsEndpoint;
import dev.myelin.server.api.federation.TimestampToEventEndpoint;
import dev.myelin.server.handler.directory.RoomDirectoryHandler;
import dev.myelin.server.handler.federation.RoomReadsForServers;
import dev.myelin.server.handler.federation.RoomServerAcls;
import dev.myelin.server.handler.federation.ServerVisibility;
import dev.myelin.storage.account.ErasedUserStore;

/**
 * The Server-Server endpoints through which other servers read rooms from this one: events, state
 * and auth chains, backfill, missing events, the event nearest a time, and the published room
 * directory (when {@code allow_public_rooms_over_federation} is on).
 */
public final class FederationRoomReadsArea {
    private FederationRoomReadsArea() {}

    public static void install(
            Router router,
            Core core,
            RoomCore rooms,
            RoomDirectoryHandler directory,
            boolean publicRoomsOverFederation) {
        ServerVisibility visibility = new ServerVisibility(
                rooms.events(),
                rooms.state(),
                new ErasedUserStore(core.database()),
                new RoomServerAcls(rooms.state(), rooms.events()));
        RoomReadsForServers reads =
                new RoomReadsForServers(core.serverName(), rooms.roomState(), rooms.events(), visibility, core.clock());
        router.register(new GetEventEndpoint(reads));
        router.register(new RoomStateEndpoint(reads));
        router.register(new RoomStateIdsEndpoint(reads));
        router.register(new EventAuthEndpoint(reads));
        router.register(new BackfillEndpoint(reads));
        router.register(new GetMissingEventsEndpoint(reads));
        router.register(new TimestampToEventEndpoint(reads));
        router.register(new FederationPublicRoomsEndpoint(directory, publicRoomsOverFederation, HttpMethod.GET));
        router.register(new FederationPublicRoomsEndpoint(directory, publicRoomsOverFederation, HttpMethod.POST));
    }
}
