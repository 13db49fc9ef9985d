package dev.myelin.server.handler.slidingsync;

import dev.myelin.core.id.EventId;
import dev.myelin.core.id.RoomId;
import dev.myelin.server.handler.slidingsync.SlidingSyncRequest.RoomConfig;
import dev.myelin.server.handler.sync.SyncToken;
import java.util.Map;

/**
 * What a connection had been sent when it handed out one {@code pos}: the stream positions then, each
 * room sent so far and how, the rooms subscribed to (subscriptions last until unsubscribed), and each
 * list's count. A request names the state it continues from with its {@code pos}; the state is never
 * changed afterwards, so a retried request with the same {@code pos} is answered the same way.
 */
record ConnectionState(
        long number,
        SyncToken token,
        Map<RoomId, SentRoom> rooms,
        Map<RoomId, RoomConfig> subscriptions,
        Map<String, Integer> listCounts) {

    ConnectionState {
        rooms = Map.copyOf(rooms);
        subscriptions = Map.copyOf(subscriptions);
        listCounts = Map.copyOf(listCounts);
    }

    /**
     * A room as last sent: everything up to events position {@code sentTo}, with {@code config}, while
     * the user's membership was {@code membership}; {@code members} are the member events sent to
     * lazy-loading configs, by user id.
     */
    record SentRoom(long sentTo, RoomConfig config, String membership, Map<String, EventId> members) {
        SentRoom {
            members = Map.copyOf(members);
        }
    }
}
