package dev.myelin.server.handler.push;

/**
 * A user's unread notification counts in one room, as {@code /sync} reports them in
 * {@code unread_notifications}.
 *
 * @param notificationCount unread events whose push rules say {@code notify}
 * @param highlightCount    those of them that are also highlighted
 * @see <a href="https://spec.matrix.org/v1.19/client-server-api/#receiving-notifications">Receiving notifications</a>
 */
public record NotificationCounts(long notificationCount, long highlightCount) {
    public static final NotificationCounts ZERO = new NotificationCounts(0, 0);
}
