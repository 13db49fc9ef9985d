package dev.myelin.storage.push;

import static dev.myelin.storage.schema.Tables.NOTIFICATIONS;

import com.fasterxml.jackson.databind.node.ArrayNode;
import dev.myelin.core.id.EventId;
import dev.myelin.core.id.RoomId;
import dev.myelin.core.id.UserId;
import dev.myelin.storage.Database;
import dev.myelin.storage.internal.Json;
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

    /** Records {@code notifications} in one transaction; one already recorded is left as it is. */
    public void addAll(Collection<Notification> notifications) {
        if (notifications.isEmpty()) {
            return;
        }
        db.update(tx -> {
            for (Notification n : notifications) {
                tx.dsl()
                        .insertInto(NOTIFICATIONS)
                        .set(NOTIFICATIONS.USER_ID, n.user().toString())
                        .set(NOTIFICATIONS.EVENT_ID, n.event().value())
                        .set(NOTIFICATIONS.ROOM_ID, n.room().toString())
                        .set(NOTIFICATIONS.STREAM_ORDERING, n.streamOrdering())
                        .set(NOTIFICATIONS.TOPOLOGICAL_ORDERING, n.topologicalOrdering())
                        .set(NOTIFICATIONS.ACTIONS, Json.write(n.actions()))
                        .set(NOTIFICATIONS.HIGHLIGHT, n.highlight())
                        .set(NOTIFICATIONS.RECEIVED_TS, n.receivedTs())
                        .onConflictDoNothing()
                        .execute();
            }
        });
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
