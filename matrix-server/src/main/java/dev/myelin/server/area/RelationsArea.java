package dev.myelin.server.area;

import dev.myelin.http.server.Router;
import dev.myelin.server.api.client.relations.RelationsEndpoint;
import dev.myelin.server.api.client.relations.ThreadsEndpoint;
import dev.myelin.server.handler.relations.RelationsHandler;
import dev.myelin.server.handler.room.PaginationTokens;
import dev.myelin.server.handler.room.RoomReadHandler;

/** Relations between events (edits, reactions, replies in threads) and the list of a room's threads. */
public final class RelationsArea {
    private RelationsArea() {}

    public static void install(Router router, RoomCore rooms, RoomReadHandler reads) {
        RelationsHandler relations = new RelationsHandler(rooms.relations(), rooms.events(), reads, rooms.visibility());
        PaginationTokens tokens = new PaginationTokens(rooms.events());
        for (RelationsEndpoint.Filter filter : RelationsEndpoint.Filter.values()) {
            router.register(new RelationsEndpoint(relations, rooms.clientEvents(), tokens, filter));
        }
        router.register(new ThreadsEndpoint(relations, rooms.clientEvents()));
    }
}
