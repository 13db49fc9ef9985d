package dev.myelin.storage.room;

import static dev.myelin.storage.schema.Tables.REMOTE_KNOCKS;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.myelin.core.id.EventId;
import dev.myelin.core.id.RoomId;
import dev.myelin.core.id.ServerName;
import dev.myelin.core.id.UserId;
import dev.myelin.storage.Database;
import dev.myelin.storage.internal.Json;
import dev.myelin.storage.schema.tables.records.RemoteKnocksRecord;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * Knocks of local users on rooms this server does not take part in (table {@code
 * remote_knocks}): one row per user and room, the latest knock, and the leave that rescinded it.
 * The events themselves are outliers in {@code events}.
 */
public final class RemoteKnockStore {
    private final Database db;

    /**
     * Creates the store.
     *
     * @param db the database
     */
    public RemoteKnockStore(Database db) {
        this.db = db;
    }

    /** Records a new pending knock, replacing an earlier knock of the user on the room. */
    public void record(RemoteKnock knock) {
        db.write(tx -> tx.dsl()
                .insertInto(REMOTE_KNOCKS)
                .set(REMOTE_KNOCKS.USER_ID, knock.user().toString())
                .set(REMOTE_KNOCKS.ROOM_ID, knock.room().value())
                .set(REMOTE_KNOCKS.KNOCK_EVENT_ID, knock.knockEventId().value())
                .set(REMOTE_KNOCKS.KNOCK_STREAM, knock.knockStream())
                .set(REMOTE_KNOCKS.ROOM_VERSION, knock.roomVersion())
                .set(REMOTE_KNOCKS.RESIDENT, knock.resident().toString())
                .set(REMOTE_KNOCKS.KNOCK_STATE, Json.write(knock.knockState()))
                .setNull(REMOTE_KNOCKS.LEAVE_EVENT_ID)
                .setNull(REMOTE_KNOCKS.LEAVE_STREAM)
                .onConflict(REMOTE_KNOCKS.USER_ID, REMOTE_KNOCKS.ROOM_ID)
                .doUpdate()
                .set(REMOTE_KNOCKS.KNOCK_EVENT_ID, knock.knockEventId().value())
                .set(REMOTE_KNOCKS.KNOCK_STREAM, knock.knockStream())
                .set(REMOTE_KNOCKS.ROOM_VERSION, knock.roomVersion())
                .set(REMOTE_KNOCKS.RESIDENT, knock.resident().toString())
                .set(REMOTE_KNOCKS.KNOCK_STATE, Json.write(knock.knockState()))
                .setNull(REMOTE_KNOCKS.LEAVE_EVENT_ID)
                .setNull(REMOTE_KNOCKS.LEAVE_STREAM)
                .execute());
    }

    /** Records that {@code leave} (at events-stream position {@code leaveStream}) rescinded the user's knock. */
    public void markRescinded(UserId user, RoomId room, EventId leave, long leaveStream) {
        db.write(tx -> tx.dsl()
                .update(REMOTE_KNOCKS)
                .set(REMOTE_KNOCKS.LEAVE_EVENT_ID, leave.value())
                .set(REMOTE_KNOCKS.LEAVE_STREAM, leaveStream)
                .where(REMOTE_KNOCKS.USER_ID.eq(user.toString()), REMOTE_KNOCKS.ROOM_ID.eq(room.value()))
                .execute());
    }

    /** The user's latest knock on the room, pending or rescinded. */
    public Optional<RemoteKnock> get(UserId user, RoomId room) {
        return db.read(tx -> tx.dsl()
                        .selectFrom(REMOTE_KNOCKS)
                        .where(REMOTE_KNOCKS.USER_ID.eq(user.toString()), REMOTE_KNOCKS.ROOM_ID.eq(room.value()))
                        .fetchOptional())
                .map(RemoteKnockStore::toKnock);
    }

    /** Every knock of the user, pending or rescinded, oldest first. */
    public List<RemoteKnock> all(UserId user) {
        return db
                .read(tx -> tx.dsl()
                        .selectFrom(REMOTE_KNOCKS)
                        .where(REMOTE_KNOCKS.USER_ID.eq(user.toString()))
                        .orderBy(REMOTE_KNOCKS.KNOCK_STREAM)
                        .fetch())
                .stream()
                .map(RemoteKnockStore::toKnock)
                .toList();
    }

    /**
     * The user's knocks that were made or rescinded after events-stream position {@code from} and
     * at or before {@code to}, oldest first.
     */
    public List<RemoteKnock> changedBetween(UserId user, long from, long to) {
        return db
                .read(tx -> tx.dsl()
                        .selectFrom(REMOTE_KNOCKS)
                        .where(REMOTE_KNOCKS.USER_ID.eq(user.toString()))
                        .and(REMOTE_KNOCKS
                                .KNOCK_STREAM
                                .gt(from)
                                .and(REMOTE_KNOCKS.KNOCK_STREAM.le(to))
                                .or(REMOTE_KNOCKS.LEAVE_STREAM.gt(from).and(REMOTE_KNOCKS.LEAVE_STREAM.le(to))))
                        .orderBy(REMOTE_KNOCKS.KNOCK_STREAM)
                        .fetch())
                .stream()
                .map(RemoteKnockStore::toKnock)
                .toList();
    }

    private static RemoteKnock toKnock(RemoteKnocksRecord r) {
        JsonNode state = Json.readNode(r.getKnockState());
        return new RemoteKnock(
                UserId.parse(r.getUserId()),
                RoomId.parse(r.getRoomId()),
                new EventId(r.getKnockEventId()),
                r.getKnockStream(),
                r.getRoomVersion(),
                ServerName.parse(r.getResident()),
                state instanceof ArrayNode array ? array : JsonNodeFactory.instance.arrayNode(),
                Optional.ofNullable(r.getLeaveEventId()).map(EventId::new),
                r.getLeaveStream() == null ? OptionalLong.empty() : OptionalLong.of(r.getLeaveStream()));
    }
}
