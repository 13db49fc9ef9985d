package dev.myelin.server.area;

import dev.myelin.http.server.Router;
import dev.myelin.server.api.client.search.SearchEndpoint;
import dev.myelin.server.handler.room.RoomReadHandler;
import dev.myelin.server.handler.room.RoomTimelineHandler;
import dev.myelin.server.handler.search.ResultDecorations;
import dev.myelin.server.handler.search.SearchHandler;
import dev.myelin.storage.room.ForgottenRoomStore;
import dev.myelin.storage.search.EventSearchStore;

/**
 * Server-side search of room events ({@code POST /search}) over the full-text index that the event
 * persister keeps.
 */
public final class SearchArea {
    private SearchArea() {}

    public static void install(Router router, Core core, RoomCore rooms, RoomReadHandler reads) {
        RoomTimelineHandler timeline =
                new RoomTimelineHandler(rooms.events(), rooms.roomState(), rooms.visibility(), reads);
        SearchHandler handler = new SearchHandler(
                new EventSearchStore(core.database()),
                rooms.events(),
                rooms.state(),
                new ForgottenRoomStore(core.database()),
                rooms.visibility(),
                new ResultDecorations(timeline, rooms.roomState(), reads));
        router.register(new SearchEndpoint(handler, rooms.clientEvents()));
    }
}
