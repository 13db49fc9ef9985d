package dev.myelin.storage.receipt;

import static dev.myelin.storage.schema.Tables.RECEIPTS;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.myelin.core.id.EventId;
import dev.myelin.core.id.RoomId;
import dev.myelin.core.id.UserId;
import dev.myelin.storage.Database;
import dev.myelin.storage.Json;
import dev.myelin.storage.schema.tables.records.ReceiptsRecord;
import dev.myelin.storage.stream.Stream;
import dev.myelin.storage.stream.StreamIds;
import java.util.Collection;
import java.util.List;
import java.util.Optional;

/** The latest receipt per (room, type, user, thread), on the {@link Stream#RECEIPTS} stream. */
public final class ReceiptStore {
    private static final String UNTHREADED = "";

    private final Database db;
    private final StreamIds streams;

    public ReceiptStore(Database db, StreamIds streams) {
        this.db = db;
        this.streams = streams;
    }

    /** Records a receipt, replacing the user's previous one of that type and thread; returns its position. */
    public long put(RoomId room, String receiptType, UserId user, Optional<String> threadId, EventId event,
            ObjectNode data) {
        String json = Json.write(data);
        return db.write(tx -> {
            long id = streams.allocate(tx, Stream.RECEIPTS);
            tx.dsl().insertInto(RECEIPTS)
                    .set(RECEIPTS.ROOM_ID, room.value())
                    .set(RECEIPTS.RECEIPT_TYPE, receiptType)
                    .set(RECEIPTS.USER_ID, user.toString())
                    .set(RECEIPTS.THREAD_ID, threadId.orElse(UNTHREADED))
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

    /** The receipts in {@code rooms} that changed after {@code fromStreamId}, in stream order. */
    public List<Receipt> changesSince(Collection<RoomId> rooms, long fromStreamId) {
        long upTo = streams.currentPosition(Stream.RECEIPTS);
        List<String> ids = rooms.stream().map(RoomId::value).toList();
        return db.read(tx -> tx.dsl().selectFrom(RECEIPTS)
                .where(RECEIPTS.ROOM_ID.in(ids), RECEIPTS.STREAM_ID.gt(fromStreamId), RECEIPTS.STREAM_ID.le(upTo))
                .orderBy(RECEIPTS.STREAM_ID)
                .fetch(ReceiptStore::toReceipt));
    }

    /** The user's current receipt of a type in a room (unthreaded). */
    public Optional<Receipt> get(RoomId room, String receiptType, UserId user) {
        return db.read(tx -> tx.dsl().selectFrom(RECEIPTS)
                .where(RECEIPTS.ROOM_ID.eq(room.value()), RECEIPTS.RECEIPT_TYPE.eq(receiptType),
                        RECEIPTS.USER_ID.eq(user.toString()), RECEIPTS.THREAD_ID.eq(UNTHREADED))
                .fetchOptional()).map(ReceiptStore::toReceipt);
    }

    public long currentPosition() {
        return streams.currentPosition(Stream.RECEIPTS);
    }

    private static Receipt toReceipt(ReceiptsRecord r) {
        return new Receipt(RoomId.parse(r.getRoomId()), r.getReceiptType(), UserId.parse(r.getUserId()),
                r.getThreadId().isEmpty() ? Optional.empty() : Optional.of(r.getThreadId()),
                new EventId(r.getEventId()), Json.readObject(r.getData()), r.getStreamId());
    }
}
