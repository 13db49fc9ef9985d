package dev.myelin.server.handler.filter;

import dev.myelin.core.event.Pdu;
import dev.myelin.core.id.RoomId;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * A {@code RoomEventFilter}: an {@link EventFilter} plus rooms, {@code contains_url}, the member
 * lazy-loading switches and {@code unread_thread_notifications}. It is the one value that the
 * {@code timeline}, {@code state}, {@code ephemeral} and {@code account_data} sections of a sync
 * filter, the {@code filter} parameter of {@code /messages} and {@code /context}, and stored
 * filters are parsed into, by {@link FilterParser}.
 *
 * @param events the types, senders and limit
 * @param rooms the rooms allowed; all when null
 * @param notRooms the rooms excluded, whatever {@code rooms} says
 * @param containsUrl whether only events with ({@code true}) or without ({@code false}) a content
 *     {@code url} pass; both when null
 * @param lazyLoadMembers whether only the member events of the timeline's senders are sent
 * @param includeRedundantMembers whether member events a client already has are sent again
 * @param unreadThreadNotifications whether notification counts are to be split by thread
 * @see <a href="https://spec.matrix.org/v1.19/client-server-api/#filtering">Filtering</a>
 * @see <a href="https://spec.matrix.org/v1.19/client-server-api/#lazy-loading-room-members">Lazy-loading room members</a>
 */
public record RoomEventFilter(
        EventFilter events,
        @Nullable List<String> rooms,
        List<String> notRooms,
        @Nullable Boolean containsUrl,
        boolean lazyLoadMembers,
        boolean includeRedundantMembers,
        boolean unreadThreadNotifications) {
    /** Allows every event. */
    public static final RoomEventFilter ALL =
            new RoomEventFilter(EventFilter.ALL, null, List.of(), null, false, false, false);

    public boolean allowsRoom(RoomId room) {
        return !notRooms.contains(room.value()) && (rooms == null || rooms.contains(room.value()));
    }

    /** Whether an event of {@code type} from {@code sender}, with or without a content {@code url}, passes. */
    public boolean allows(String type, String sender, boolean hasUrl) {
        if (containsUrl != null && containsUrl != hasUrl) {
            return false;
        }
        return events.allows(type, sender);
    }

    /** Whether {@code event} passes: its room, type, sender and content {@code url}. */
    public boolean matches(Pdu event) {
        return allowsRoom(event.roomId())
                && allows(
                        event.type(),
                        event.sender().toString(),
                        event.content().path("url").isTextual());
    }
}
