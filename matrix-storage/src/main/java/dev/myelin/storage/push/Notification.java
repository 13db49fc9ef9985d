package dev.myelin.storage.push;

import com.fasterxml.jackson.databind.node.ArrayNode;
import dev.myelin.core.id.EventId;
import dev.myelin.core.id.RoomId;
import dev.myelin.core.id.UserId;

/**
 * One event a user was notified about: their push rules matched it with actions that notify.
 *
 * @param user                whom it notified
 * @param event               the event
 * @param room                the event's room
 * @param streamOrdering      the event's stream ordering: notifications are listed and paged by it
 * @param topologicalOrdering the event's topological ordering, to compare with a read receipt
 * @param actions             the matching rule's actions, as the push rules API writes them
 * @param highlight           whether the actions highlight the event
 * @param receivedTs          when the event was persisted, in milliseconds since the epoch
 * @see <a href="https://spec.matrix.org/v1.19/client-server-api/#listing-notifications">Listing notifications</a>
 */
public record Notification(
        UserId user,
        EventId event,
        RoomId room,
        long streamOrdering,
        long topologicalOrdering,
        ArrayNode actions,
        boolean highlight,
        long receivedTs) {
    /** Keeps a copy of the actions. */
    public Notification {
        actions = actions.deepCopy();
    }

    /**
     * The matching rule's actions.
     *
     * @return a copy
     */
    @Override
    public ArrayNode actions() {
        return actions.deepCopy();
    }
}
