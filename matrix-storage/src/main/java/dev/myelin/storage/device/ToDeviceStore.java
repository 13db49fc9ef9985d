package dev.myelin.storage.device;

import static dev.myelin.storage.schema.Tables.DEVICE_INBOX;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.myelin.core.id.DeviceId;
import dev.myelin.core.id.UserId;
import dev.myelin.storage.Database;
import dev.myelin.storage.event.ClientTransaction;
import dev.myelin.storage.event.ClientTransactionStore;
import dev.myelin.storage.internal.Json;
import dev.myelin.storage.stream.ChangedEntities;
import dev.myelin.storage.stream.Stream;
import dev.myelin.storage.stream.StreamIds;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Per-device inboxes of to-device messages ({@code m.room.encrypted} key shares and the like). A message is
 * kept until the device acknowledges it by syncing with a later {@code since} token, then deleted.
 */
public final class ToDeviceStore {
    private final Database db;
    private final StreamIds streams;
    private final ClientTransactionStore clientTransactions;

    /**
     * Creates the store.
     *
     * @param db the database
     * @param streams the stream positions it allocates from
     */
    public ToDeviceStore(Database db, StreamIds streams) {
        this.db = db;
        this.streams = streams;
        this.clientTransactions = new ClientTransactionStore(db);
    }

    /** Queues one message per target device, all in one transaction; returns the last position used. */
    public long send(Map<UserId, Map<DeviceId, ObjectNode>> messages) {
        return send(messages, Optional.empty());
    }

    /**
     * As {@link #send(Map)}, recording {@code txn} (when present) in the same transaction, so that a retry of
     * it finds the messages sent exactly when they were (also with no message at all to queue).
     */
    public long send(Map<UserId, Map<DeviceId, ObjectNode>> messages, Optional<ClientTransaction> txn) {
        return db.write(tx -> {
            txn.ifPresent(t -> clientTransactions.record(tx, t, ""));
            long last = streams.currentPosition(Stream.TO_DEVICE);
            for (var user : messages.entrySet()) {
                for (var device : user.getValue().entrySet()) {
                    last = streams.allocate(tx, Stream.TO_DEVICE);
                    streams.recordChange(
                            ChangedEntities.TO_DEVICE, user.getKey().toString(), last);
                    tx.dsl()
                            .insertInto(DEVICE_INBOX)
                            .set(DEVICE_INBOX.USER_ID, user.getKey().toString())
                            .set(DEVICE_INBOX.DEVICE_ID, device.getKey().value())
                            .set(DEVICE_INBOX.STREAM_ID, last)
                            .set(DEVICE_INBOX.MESSAGE, Json.write(device.getValue()))
                            .execute();
                }
            }
            return last;
        });
    }

    /** Up to {@code limit} pending messages for the device after {@code fromStreamId}, oldest first. */
    public List<ToDeviceMessage> pending(UserId user, DeviceId device, long fromStreamId, int limit) {
        long upTo = streams.currentPosition(Stream.TO_DEVICE);
        if (!streams.changes(ChangedEntities.TO_DEVICE).hasChangedSince(user.toString(), fromStreamId)) {
            return List.of();
        }
        return db.read(tx -> tx.dsl()
                .select(DEVICE_INBOX.STREAM_ID, DEVICE_INBOX.MESSAGE)
                .from(DEVICE_INBOX)
                .where(
                        DEVICE_INBOX.USER_ID.eq(user.toString()),
                        DEVICE_INBOX.DEVICE_ID.eq(device.value()),
                        DEVICE_INBOX.STREAM_ID.gt(fromStreamId),
                        DEVICE_INBOX.STREAM_ID.le(upTo))
                .orderBy(DEVICE_INBOX.STREAM_ID)
                .limit(limit)
                .fetch(r -> new ToDeviceMessage(r.value1(), Json.readObject(r.value2()))));
    }

    /** Deletes the device's messages up to and including {@code upToStreamId}; returns how many went. */
    public int acknowledge(UserId user, DeviceId device, long upToStreamId) {
        return db.write(tx -> tx.dsl()
                .deleteFrom(DEVICE_INBOX)
                .where(
                        DEVICE_INBOX.USER_ID.eq(user.toString()),
                        DEVICE_INBOX.DEVICE_ID.eq(device.value()),
                        DEVICE_INBOX.STREAM_ID.le(upToStreamId))
                .execute());
    }

    /** Deletes the whole inbox of a device, e.g. when the device is deleted. */
    public int deleteInbox(UserId user, DeviceId device) {
        return db.write(tx -> tx.dsl()
                .deleteFrom(DEVICE_INBOX)
                .where(DEVICE_INBOX.USER_ID.eq(user.toString()), DEVICE_INBOX.DEVICE_ID.eq(device.value()))
                .execute());
    }

    /**
     * The committed position of the to-device stream.
     *
     * @return the position readers may read up to
     */
    public long currentPosition() {
        return streams.currentPosition(Stream.TO_DEVICE);
    }
}
