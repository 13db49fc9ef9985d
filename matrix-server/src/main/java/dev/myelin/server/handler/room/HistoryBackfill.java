package dev.myelin.server.handler.room;

import dev.myelin.core.id.RoomId;

/**
 * Fetches a room's older history from elsewhere when a client paginates back past what this
 * server holds: for a room joined over federation, its events from before the join.
 */
@FunctionalInterface
public interface HistoryBackfill {
    /** For a server that takes part in no other server's rooms: the local history is all there is. */
    HistoryBackfill NONE = (room, wanted) -> false;

    /**
     * Fetches and stores up to about {@code wanted} events older than the room's held history.
     *
     * @return whether any event was added to the room's timeline
     */
    boolean fetchOlder(RoomId room, int wanted);
}
