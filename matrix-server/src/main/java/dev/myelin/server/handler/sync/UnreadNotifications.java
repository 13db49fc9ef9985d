package dev.myelin.server.handler.sync;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.myelin.core.id.RoomId;
import dev.myelin.core.id.UserId;

/**
 * The {@code unread_notifications} of a joined room in {@code /sync}: counts that push rule
 * evaluation produces. {@link #NONE} answers zeros until that evaluation exists.
 *
 * @see <a href="https://spec.matrix.org/v1.19/client-server-api/#receiving-notifications">Receiving notifications</a>
 */
@FunctionalInterface
public interface UnreadNotifications {
    /** {@code {"notification_count": n, "highlight_count": n}} for {@code user} in {@code room}. */
    ObjectNode counts(UserId user, RoomId room);

    UnreadNotifications NONE = (user, room) ->
            JsonNodeFactory.instance.objectNode().put("notification_count", 0).put("highlight_count", 0);
}
