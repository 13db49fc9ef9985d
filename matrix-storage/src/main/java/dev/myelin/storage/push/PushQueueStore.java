package dev.myelin.storage.push;

import static dev.myelin.storage.schema.Tables.PUSH_QUEUE;
import static org.jooq.impl.DSL.max;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.myelin.core.id.UserId;
import dev.myelin.storage.Database;
import dev.myelin.storage.internal.Json;
import java.util.List;

/**
 * Notifications waiting for a pusher's gateway, kept until the gateway takes them so that a
 * restart does not lose them. Rows are written by the process that sends the pusher's pushes and
 * read back by it when it starts.
 */
public final class PushQueueStore {
    /**
     * One waiting notification.
     *
     * @param id its place in the queue (rising)
     * @param body the body of the {@code /_matrix/push/v1/notify} request
     * @param createdTs when it was queued, in milliseconds since the epoch
     */
    public record Queued(long id, UserId user, String appId, String pushkey, ObjectNode body, long createdTs) {
        public Queued {
            body = body.deepCopy();
        }

        @Override
        public ObjectNode body() {
            return body.deepCopy();
        }
    }

    private final Database db;

    public PushQueueStore(Database db) {
        this.db = db;
    }

    /** Queues a notification for the pusher ({@code user}, {@code appId}, {@code pushkey}); returns its id. */
    public long add(UserId user, String appId, String pushkey, ObjectNode body, long createdTs) {
        String json = Json.write(body);
        return db.write(tx -> {
            Long last = tx.dsl().select(max(PUSH_QUEUE.ID)).from(PUSH_QUEUE).fetchOne(0, Long.class);
            long id = last == null ? 1 : last + 1;
            tx.dsl()
                    .insertInto(PUSH_QUEUE)
                    .set(PUSH_QUEUE.ID, id)
                    .set(PUSH_QUEUE.USER_ID, user.toString())
                    .set(PUSH_QUEUE.APP_ID, appId)
                    .set(PUSH_QUEUE.PUSHKEY, pushkey)
                    .set(PUSH_QUEUE.BODY, json)
                    .set(PUSH_QUEUE.CREATED_TS, createdTs)
                    .execute();
            return id;
        });
    }

    /** Removes one notification, sent or given up on. */
    public void delete(long id) {
        db.update(tx ->
                tx.dsl().deleteFrom(PUSH_QUEUE).where(PUSH_QUEUE.ID.eq(id)).execute());
    }

    /** Removes everything waiting for one pusher, as when its pushkey is rejected. */
    public void deleteForPusher(UserId user, String appId, String pushkey) {
        db.update(tx -> tx.dsl()
                .deleteFrom(PUSH_QUEUE)
                .where(
                        PUSH_QUEUE.USER_ID.eq(user.toString()),
                        PUSH_QUEUE.APP_ID.eq(appId),
                        PUSH_QUEUE.PUSHKEY.eq(pushkey))
                .execute());
    }

    /** Everything waiting, oldest first. */
    public List<Queued> all() {
        return db.read(tx -> tx.dsl()
                .selectFrom(PUSH_QUEUE)
                .orderBy(PUSH_QUEUE.ID)
                .fetch(r -> new Queued(
                        r.getId(),
                        UserId.parse(r.getUserId()),
                        r.getAppId(),
                        r.getPushkey(),
                        Json.readObject(r.getBody()),
                        r.getCreatedTs())));
    }
}
