package dev.myelin.storage.receipt;

import static dev.myelin.storage.schema.Tables.RECEIPTS;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.myelin.core.cache.StreamChangeCache;
import dev.myelin.core.id.EventId;
import dev.myelin.core.id.RoomId;
import dev.myelin.core.id.UserId;
import dev.myelin.storage.Database;
import dev.myelin.storage.internal.Json;
import dev.myelin.storage.stream.ChangedEntities;
import dev.myelin.storage.stream.Stream;
import dev.myelin.storage.stream.StreamIds;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * Read receipts ({@code m.read}, {@code m.read.private}) on the {@link Stream#RECEIPTS} stream: one row per
 * (room, type, user, thread), replaced by each newer receipt, which takes a new stream position.
 */
public final class ReceiptStore {
    /** The {@code thread_id} stored for unthreaded receipts, so the key stays a plain primary key. */
    static final String UNTHREADED = "";

    private final Database db;
    private final StreamIds streams;

    /**
     * Creates the store.
     *
     * @param db the database
     * @param streams the stream positions it allocates from
     */
    public ReceiptStore(Database db, StreamIds streams) {
        this.db = db;
        this.streams = streams;
    }

    /** Sets {@code user}'s receipt of {@code type} in {@code room}; returns its stream position. */
    public long put(RoomId room, String type, UserId user, @Nullable String threadId, EventId event, ObjectNode data) {
        String thread = threadId == null ? UNTHREADED : threadId;
        String json = Json.write(data);
        return db.write(tx -> {
            long id = streams.allocate(tx, Stream.RECEIPTS);
            streams.recordChange(ChangedEntities.RECEIPTS, room.value(), id);
            tx.dsl()
                    .insertInto(RECEIPTS)
                    .set(RECEIPTS.ROOM_ID, room.value())
                    .set(RECEIPTS.RECEIPT_TYPE, type)
                    .set(RECEIPTS.USER_ID, user.toString())
                    .set(RECEIPTS.THREAD_ID, thread)
                    .set(RECEIPTS.EVENT_ID, event.value())
                    .set(RECEIPTS.DATA, json)
                    .set(RECEIPTS.STREAM_ID, id)
                    .onConflict(RECEIPTS.ROOM_ID, RECEIPTS.RECEIPT_TYPE, RECEIPTS.USER_ID, RECEIPTS.THREAD_ID)
                    .doUpdate()
                    .set(RECEIPTS.EVENT_ID, event.value())
                    .set(RECEIPTS.DATA, json)
                    .set(RECEIPTS.STREAM_ID, id)
                    .execute();
            return id;
        });
    }

    /**
     * The receipts in {@code rooms} set after {@code fromStreamId} and up to the committed position, oldest
     * first; {@code 0} gives every current receipt.
     */
    public List<Receipt> changesSince(Collection<RoomId> rooms, long fromStreamId) {
        if (rooms.isEmpty()) {
            return List.of();
        }
        long upTo = currentPosition();
        StreamChangeCache<String> changed = streams.changes(ChangedEntities.RECEIPTS);
        List<String> ids = rooms.stream()
                .map(RoomId::value)
                .filter(room -> changed.hasChangedSince(room, fromStreamId))
                .toList();
        if (ids.isEmpty()) {
            return List.of();
        }
        return db.read(tx -> tx.dsl()
                .selectFrom(RECEIPTS)
                .where(RECEIPTS.ROOM_ID.in(ids), RECEIPTS.STREAM_ID.gt(fromStreamId), RECEIPTS.STREAM_ID.le(upTo))
                .orderBy(RECEIPTS.STREAM_ID)
                .fetch(ReceiptStore::toReceipt));
    }

    private static Receipt toReceipt(dev.myelin.storage.schema.tables.records.ReceiptsRecord r) {
        return new Receipt(
                RoomId.parse(r.getRoomId()),
                r.getReceiptType(),
                UserId.parse(r.getUserId()),
                r.getThreadId().isEmpty() ? Optional.empty() : Optional.of(r.getThreadId()),
                new EventId(r.getEventId()),
                Json.readObject(r.getData()),
                r.getStreamId());
    }

    /** {@code user}'s current unthreaded receipt of {@code type} in {@code room}. */
    public Optional<Receipt> get(RoomId room, String type, UserId user) {
        return db.read(tx -> tx.dsl()
                .selectFrom(RECEIPTS)
                .where(
                        RECEIPTS.ROOM_ID.eq(room.value()),
                        RECEIPTS.RECEIPT_TYPE.eq(type),
                        RECEIPTS.USER_ID.eq(user.toString()),
                        RECEIPTS.THREAD_ID.eq(UNTHREADED))
                .fetchOptional(ReceiptStore::toReceipt));
    }

    /** Whether a receipt in {@code room} may have been set after {@code fromStreamId} (true when not known). */
    public boolean mayHaveChanged(RoomId room, long fromStreamId) {
        return streams.changes(ChangedEntities.RECEIPTS).hasChangedSince(room.value(), fromStreamId);
    }

    /** The position up to which receipts are committed. */
    public long currentPosition() {
        return streams.currentPosition(Stream.RECEIPTS);
    }
}
