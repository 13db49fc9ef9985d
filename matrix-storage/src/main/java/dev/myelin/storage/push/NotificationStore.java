package dev.myelin.storage.push;

import static dev.myelin.storage.schema.Tables.NOTIFICATIONS;

import com.fasterxml.jackson.databind.node.ArrayNode;
import dev.myelin.core.id.EventId;
import dev.myelin.core.id.RoomId;
import dev.myelin.core.id.UserId;
import dev.myelin.storage.Database;
import dev.myelin.storage.internal.Json;
import java.sql.PreparedStatement;
import java.util.Collection;
import java.util.List;
import java.util.OptionalLong;
import org.jooq.Condition;

/** The notifications of each user, keyed by (user, event). */
public final class NotificationStore {
    private final Database db;

    /**
     * Creates the store.
     *
     * @param db the database
     */
    public NotificationStore(Database db) {
        this.db = db;
    }

    /**
     * One prepared statement for every row: the notifier records a batch per group of events, and
     * rendering a jOOQ insert per row cost more than executing it.
     */
    private static final String INSERT = "INSERT INTO notifications (user_id, event_id, room_id, stream_ordering,"
            + " topological_ordering, actions, highlight, received_ts) VALUES (?, ?, ?, ?, ?, ?, ?, ?)"
            + " ON CONFLICT DO NOTHING";

    /** Records {@code notifications} in one transaction; one already recorded is left as it is. */
    public void addAll(Collection<Notification> notifications) {
        if (notifications.isEmpty()) {
            return;
        }
        db.update(tx -> tx.dsl().connection(connection -> {
            try (PreparedStatement insert = connection.prepareStatement(INSERT)) {
                for (Notification n : notifications) {
                    insert.setString(1, n.user().toString());
                    insert.setString(2, n.event().value());
                    insert.setString(3, n.room().toString());
                    insert.setLong(4, n.streamOrdering());
                    insert.setLong(5, n.topologicalOrdering());
                    insert.setString(6, Json.write(n.actions()));
                    insert.setBoolean(7, n.highlight());
                    insert.setLong(8, n.receivedTs());
                    insert.addBatch();
                }
                insert.executeBatch();
            }
        }));
    }

    /**
     * The user's notifications, newest first.
     *
     * @param before        only those with a stream ordering below this, for the next page
     * @param limit         at most this many
     * @param highlightOnly only highlighted ones
     */
    public List<Notification> forUser(UserId user, OptionalLong before, int limit, boolean highlightOnly) {
        Condition where = NOTIFICATIONS.USER_ID.eq(user.toString());
        if (before.isPresent()) {
            where = where.and(NOTIFICATIONS.STREAM_ORDERING.lt(before.getAsLong()));
        }
        if (highlightOnly) {
            where = where.and(NOTIFICATIONS.HIGHLIGHT.isTrue());
        }
        Condition condition = where;
        return db.read(tx -> tx.dsl()
                .selectFrom(NOTIFICATIONS)
                .where(condition)
                .orderBy(NOTIFICATIONS.STREAM_ORDERING.desc())
                .limit(limit)
                .fetch(r -> new Notification(
                        UserId.parse(r.getUserId()),
                        new EventId(r.getEventId()),
                        RoomId.parse(r.getRoomId()),
                        r.getStreamOrdering(),
                        r.getTopologicalOrdering(),
                        (ArrayNode) Json.readNode(r.getActions()),
                        r.getHighlight(),
                        r.getReceivedTs())));
    }
}
