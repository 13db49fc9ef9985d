package dev.myelin.server.handler.filter;

import dev.myelin.core.id.RoomId;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * The {@code room} part of a sync filter: which rooms, whether left rooms appear in initial syncs,
 * and a filter per section of a room.
 *
 * @param rooms the rooms allowed; all when null
 */
public record RoomFilter(
        @Nullable List<String> rooms,
        List<String> notRooms,
        boolean includeLeave,
        RoomEventFilter timeline,
        RoomEventFilter state,
        RoomEventFilter ephemeral,
        RoomEventFilter accountData) {
    public static final RoomFilter ALL = new RoomFilter(
            null, List.of(), false, RoomEventFilter.ALL, RoomEventFilter.ALL, RoomEventFilter.ALL, RoomEventFilter.ALL);

    public boolean allowsRoom(RoomId room) {
        return !notRooms.contains(room.value()) && (rooms == null || rooms.contains(room.value()));
    }
}
