package dev.myelin.storage.account;

import static dev.myelin.storage.schema.Tables.ACCOUNT_DATA;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.myelin.core.id.RoomId;
import dev.myelin.core.id.UserId;
import dev.myelin.storage.Database;
import dev.myelin.storage.Transaction;
import dev.myelin.storage.internal.Json;
import dev.myelin.storage.stream.ChangedEntities;
import dev.myelin.storage.stream.Stream;
import dev.myelin.storage.stream.StreamIds;
import java.util.List;
import java.util.Optional;

/**
 * Per-user account data, global and per room, on the {@link Stream#ACCOUNT_DATA} stream: every write takes a
 * new position, and {@link #changesSince} returns the latest value of each entry that changed after a position.
 */
public final class AccountDataStore {
    /** The {@code room_id} stored for global account data. */
    static final String GLOBAL = "";

    private final Database db;
    private final StreamIds streams;

    /**
     * Creates the store.
     *
     * @param db the database
     * @param streams the stream positions it allocates from
     */
    public AccountDataStore(Database db, StreamIds streams) {
        this.db = db;
        this.streams = streams;
    }

    /** Sets global account data of {@code type}; returns its stream position. */
    public long putGlobal(UserId user, String type, ObjectNode content) {
        return db.write(tx -> put(tx, streams, user, GLOBAL, type, Json.write(content)));
    }

    /** Sets account data of {@code type} in {@code room}; returns its stream position. */
    public long putForRoom(UserId user, RoomId room, String type, ObjectNode content) {
        return db.write(tx -> put(tx, streams, user, room.value(), type, Json.write(content)));
    }

    /**
     * A user's global account data of one type.
     *
     * @param user the user
     * @param type the event type
     * @return the content, if set
     */
    public Optional<ObjectNode> getGlobal(UserId user, String type) {
        return get(user, GLOBAL, type);
    }

    /**
     * A user's global account data of one type as the JSON text stored, for callers that cache what
     * they derive from it by its content and so need not parse it on every read.
     */
    public Optional<String> getGlobalJson(UserId user, String type) {
        return db.read(tx -> tx.dsl()
                .select(ACCOUNT_DATA.CONTENT)
                .from(ACCOUNT_DATA)
                .where(
                        ACCOUNT_DATA.USER_ID.eq(user.toString()),
                        ACCOUNT_DATA.ROOM_ID.eq(GLOBAL),
                        ACCOUNT_DATA.DATA_TYPE.eq(type))
                .fetchOptional(ACCOUNT_DATA.CONTENT));
    }

    /**
     * A user's account data of one type in one room.
     *
     * @param user the user
     * @param room the room
     * @param type the event type
     * @return the content, if set
     */
    public Optional<ObjectNode> getForRoom(UserId user, RoomId room, String type) {
        return get(user, room.value(), type);
    }

    /** Entries changed after {@code fromStreamId} and up to the current position, oldest change first. */
    public List<AccountDataChange> changesSince(UserId user, long fromStreamId) {
        long upTo = streams.currentPosition(Stream.ACCOUNT_DATA);
        if (!streams.changes(ChangedEntities.ACCOUNT_DATA).hasChangedSince(user.toString(), fromStreamId)) {
            return List.of();
        }
        return db.read(tx -> tx.dsl()
                .selectFrom(ACCOUNT_DATA)
                .where(ACCOUNT_DATA.USER_ID.eq(user.toString()))
                .and(ACCOUNT_DATA.STREAM_ID.gt(fromStreamId))
                .and(ACCOUNT_DATA.STREAM_ID.le(upTo))
                .orderBy(ACCOUNT_DATA.STREAM_ID)
                .fetch(r -> new AccountDataChange(
                        r.getRoomId().isEmpty() ? Optional.empty() : Optional.of(RoomId.parse(r.getRoomId())),
                        r.getDataType(),
                        Json.readObject(r.getContent()),
                        r.getStreamId())));
    }

    /** Whether any of {@code user}'s account data may have changed after {@code fromStreamId} (true when not known). */
    public boolean mayHaveChanged(UserId user, long fromStreamId) {
        return streams.changes(ChangedEntities.ACCOUNT_DATA).hasChangedSince(user.toString(), fromStreamId);
    }

    /** The position up to which account data is committed. */
    public long currentPosition() {
        return streams.currentPosition(Stream.ACCOUNT_DATA);
    }

    private Optional<ObjectNode> get(UserId user, String room, String type) {
        return db.read(tx -> tx.dsl()
                        .select(ACCOUNT_DATA.CONTENT)
                        .from(ACCOUNT_DATA)
                        .where(
                                ACCOUNT_DATA.USER_ID.eq(user.toString()),
                                ACCOUNT_DATA.ROOM_ID.eq(room),
                                ACCOUNT_DATA.DATA_TYPE.eq(type))
                        .fetchOptional(ACCOUNT_DATA.CONTENT))
                .map(Json::readObject);
    }

    static long put(Transaction tx, StreamIds streams, UserId user, String room, String type, String json) {
        long id = streams.allocate(tx, Stream.ACCOUNT_DATA);
        streams.recordChange(ChangedEntities.ACCOUNT_DATA, user.toString(), id);
        tx.dsl()
                .insertInto(ACCOUNT_DATA)
                .set(ACCOUNT_DATA.USER_ID, user.toString())
                .set(ACCOUNT_DATA.ROOM_ID, room)
                .set(ACCOUNT_DATA.DATA_TYPE, type)
                .set(ACCOUNT_DATA.CONTENT, json)
                .set(ACCOUNT_DATA.STREAM_ID, id)
                .onConflict(ACCOUNT_DATA.USER_ID, ACCOUNT_DATA.ROOM_ID, ACCOUNT_DATA.DATA_TYPE)
                .doUpdate()
                .set(ACCOUNT_DATA.CONTENT, json)
                .set(ACCOUNT_DATA.STREAM_ID, id)
                .execute();
        return id;
    }
}
