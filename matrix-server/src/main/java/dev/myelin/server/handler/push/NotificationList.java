package dev.myelin.server.handler.push;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.myelin.core.id.EventId;
import dev.myelin.core.id.RoomId;
import dev.myelin.core.id.UserId;
import dev.myelin.server.handler.room.ClientEvents;
import dev.myelin.storage.event.EventStore;
import dev.myelin.storage.event.RoomPosition;
import dev.myelin.storage.event.StoredEvent;
import dev.myelin.storage.push.Notification;
import dev.myelin.storage.push.NotificationStore;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * A page of a user's notifications for {@code GET /notifications}, newest first, each with the
 * event in the client format and whether the user has read it: whether their read receipt in the
 * room is at or after the event, decided when the page is served, so a later receipt marks older
 * notifications read.
 *
 * @see <a href="https://spec.matrix.org/v1.19/client-server-api/#get_matrixclientv3notifications">GET /notifications</a>
 */
public final class NotificationList {
    private final NotificationStore notifications;
    private final EventStore events;
    private final ClientEvents clientEvents;
    private final ReadReceiptPosition receipts;

    public NotificationList(
            NotificationStore notifications,
            EventStore events,
            ClientEvents clientEvents,
            ReadReceiptPosition receipts) {
        this.notifications = notifications;
        this.events = events;
        this.clientEvents = clientEvents;
        this.receipts = receipts;
    }

    /**
     * One page and the token of the next.
     *
     * @param notifications the notifications, as the spec's {@code Notification} objects
     * @param nextToken     where the next page starts; empty when this page was not full
     */
    public record Page(List<ObjectNode> notifications, Optional<String> nextToken) {
        public Page {
            notifications = List.copyOf(notifications);
        }
    }

    /**
     * The page of {@code viewer}'s notifications before {@code from} (a token of an earlier page).
     *
     * @param limit         at most this many
     * @param highlightOnly only those that highlight ({@code only=highlight})
     */
    public Page page(ClientEvents.Viewer viewer, OptionalLong from, int limit, boolean highlightOnly) {
        UserId user = viewer.user();
        List<Notification> rows = notifications.forUser(user, from, limit, highlightOnly);
        Map<EventId, StoredEvent> loaded =
                events.getAll(rows.stream().map(Notification::event).toList());
        Map<RoomId, Optional<RoomPosition>> readUpTo = new HashMap<>();
        List<ObjectNode> out = new ArrayList<>();
        for (Notification row : rows) {
            StoredEvent event = loaded.get(row.event());
            if (event == null) {
                continue;
            }
            Optional<RoomPosition> read = readUpTo.computeIfAbsent(
                    row.room(),
                    room -> receipts.latestReadReceipt(user, room)
                            .flatMap(events::get)
                            .map(StoredEvent::position));
            ObjectNode json = JsonNodeFactory.instance.objectNode();
            json.set("actions", row.actions());
            json.set("event", clientEvents.format(event, viewer));
            // the spec's profile_tag is that of the matching rule; rules have none any more, so
            // it is null, as Synapse sends it
            json.putNull("profile_tag");
            json.put(
                    "read", read.filter(r -> event.position().compareTo(r) <= 0).isPresent());
            json.put("room_id", row.room().toString());
            json.put("ts", row.receivedTs());
            out.add(json);
        }
        Optional<String> next = rows.size() == limit && !rows.isEmpty()
                ? Optional.of(Long.toString(rows.getLast().streamOrdering()))
                : Optional.empty();
        return new Page(out, next);
    }
}
