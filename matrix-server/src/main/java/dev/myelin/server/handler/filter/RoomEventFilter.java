package dev.myelin.server.handler.filter;

import dev.myelin.core.id.RoomId;
import java.util.List;
import java.util.Optional;

/**
 * A {@code RoomEventFilter}: an {@link EventFilter} plus rooms, {@code contains_url} and the
 * member lazy-loading switches that apply to the {@code state} and {@code timeline} of a sync.
 *
 * @see <a href="https://spec.matrix.org/v1.19/client-server-api/#lazy-loading-room-members">Lazy-loading room members</a>
 */
public record RoomEventFilter(EventFilter events, Optional<List<String>> rooms, List<String> notRooms,
        Optional<Boolean> containsUrl, boolean lazyLoadMembers, boolean includeRedundantMembers) {
    public static final RoomEventFilter ALL = new RoomEventFilter(EventFilter.ALL, Optional.empty(), List.of(),
            Optional.empty(), false, false);

    public boolean allowsRoom(RoomId room) {
        return !notRooms.contains(room.value()) && (rooms.isEmpty() || rooms.get().contains(room.value()));
    }

    /** Whether an event of {@code type} from {@code sender}, with or without a content {@code url}, passes. */
    public boolean allows(String type, String sender, boolean hasUrl) {
        if (containsUrl.isPresent() && containsUrl.get() != hasUrl) {
            return false;
        }
        return events.allows(type, sender);
    }
}
