package dev.myelin.storage.account;

import static dev.myelin.storage.schema.Tables.ROOM_TAGS;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.myelin.core.id.RoomId;
import dev.myelin.core.id.UserId;
import dev.myelin.storage.Database;
import dev.myelin.storage.Transaction;
import dev.myelin.storage.internal.Json;
import dev.myelin.storage.stream.StreamIds;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Room tags ({@code m.favourite}, {@code u.work}, ...). Each change also rewrites the room's {@code m.tag}
 * account data in the same transaction, so clients receive tags through the account data stream as the spec
 * describes, while the tags themselves stay queryable one row each.
 */
public final class TagStore {
    /** The account data type clients see tags under. */
    public static final String TAG_EVENT_TYPE = "m.tag";

    private final Database db;
    private final StreamIds streams;

    /**
     * Creates the store.
     *
     * @param db the database
     * @param streams the stream positions it allocates from
     */
    public TagStore(Database db, StreamIds streams) {
        this.db = db;
        this.streams = streams;
    }

    /** Adds or replaces a tag; returns the account data stream position of the change. */
    public long addTag(UserId user, RoomId room, String tag, ObjectNode content) {
        String json = Json.write(content);
        return db.write(tx -> {
            tx.dsl()
                    .insertInto(ROOM_TAGS)
                    .set(ROOM_TAGS.USER_ID, user.toString())
                    .set(ROOM_TAGS.ROOM_ID, room.value())
                    .set(ROOM_TAGS.TAG, tag)
                    .set(ROOM_TAGS.CONTENT, json)
                    .onConflict(ROOM_TAGS.USER_ID, ROOM_TAGS.ROOM_ID, ROOM_TAGS.TAG)
                    .doUpdate()
                    .set(ROOM_TAGS.CONTENT, json)
                    .execute();
            return publish(tx, user, room);
        });
    }

    /** Removes a tag (a no-op if absent); returns the account data stream position of the change. */
    public long removeTag(UserId user, RoomId room, String tag) {
        return db.write(tx -> {
            tx.dsl()
                    .deleteFrom(ROOM_TAGS)
                    .where(
                            ROOM_TAGS.USER_ID.eq(user.toString()),
                            ROOM_TAGS.ROOM_ID.eq(room.value()),
                            ROOM_TAGS.TAG.eq(tag))
                    .execute();
            return publish(tx, user, room);
        });
    }

    /** The user's tags on the room, by tag name, in name order. */
    public Map<String, ObjectNode> tags(UserId user, RoomId room) {
        return db.read(tx -> read(tx, user, room));
    }

    private long publish(Transaction tx, UserId user, RoomId room) {
        ObjectNode tags = Json.object();
        read(tx, user, room).forEach(tags::set);
        ObjectNode content = Json.object();
        content.set("tags", tags);
        return AccountDataStore.put(tx, streams, user, room.value(), TAG_EVENT_TYPE, Json.write(content));
    }

    private static Map<String, ObjectNode> read(Transaction tx, UserId user, RoomId room) {
        Map<String, ObjectNode> out = new LinkedHashMap<>();
        tx.dsl()
                .selectFrom(ROOM_TAGS)
                .where(ROOM_TAGS.USER_ID.eq(user.toString()), ROOM_TAGS.ROOM_ID.eq(room.value()))
                .orderBy(ROOM_TAGS.TAG)
                .forEach(r -> out.put(r.getTag(), Json.readObject(r.getContent())));
        return out;
    }
}
