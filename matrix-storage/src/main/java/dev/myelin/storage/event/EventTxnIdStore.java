package dev.myelin.storage.event;

import static dev.myelin.storage.schema.Tables.EVENT_TXN_IDS;

import dev.myelin.core.cache.StampedCache;
import dev.myelin.core.id.DeviceId;
import dev.myelin.core.id.EventId;
import dev.myelin.core.id.UserId;
import dev.myelin.storage.Database;
import dev.myelin.storage.Transaction;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Which device sent a local event under which client transaction id. The server serves that id
 * back as {@code unsigned.transaction_id}, to the sending device only, so it can replace its local
 * echo with the real event.
 *
 * @see <a href="https://spec.matrix.org/v1.19/client-server-api/#transaction-identifiers">Transaction identifiers</a>
 */
public final class EventTxnIdStore {
    /** Who sent an event with which transaction id. */
    public record SentWith(UserId user, DeviceId device, String txnId) {}

    /** The cache name of the senders by event id. */
    public static final String CACHE = "event_txn_ids";

    private final Database db;
    /** Every render of an event to its sender asks it; known answers (none included) are kept. */
    private final StampedCache<EventId, Optional<SentWith>> known;

    /**
     * Creates the store.
     *
     * @param db the database
     */
    public EventTxnIdStore(Database db) {
        this.db = db;
        this.known = new StampedCache<>(CACHE, 200_000, db.invalidation(), EventId::parse);
    }

    /** Records that {@code device} of {@code user} sent {@code event} as transaction {@code txnId}. */
    public void record(EventId event, UserId user, DeviceId device, String txnId, long nowMs) {
        db.write(tx -> {
            record(tx, event, user, device, txnId, nowMs);
            return null;
        });
    }

    /** As {@link #record(EventId, UserId, DeviceId, String, long)}, inside {@code tx} (with the event itself). */
    public void record(Transaction tx, EventId event, UserId user, DeviceId device, String txnId, long nowMs) {
        db.invalidateOnCommit(tx, CACHE, List.of(event.value()));
        tx.dsl()
                .insertInto(EVENT_TXN_IDS)
                .set(EVENT_TXN_IDS.EVENT_ID, event.value())
                .set(EVENT_TXN_IDS.USER_ID, user.toString())
                .set(EVENT_TXN_IDS.DEVICE_ID, device.value())
                .set(EVENT_TXN_IDS.TXN_ID, txnId)
                .set(EVENT_TXN_IDS.INSERTED_TS, nowMs)
                .onConflictDoNothing()
                .execute();
    }

    /** The recorded senders of those of {@code events} that have one, by event. */
    public Map<EventId, SentWith> sentWith(Collection<EventId> events) {
        Map<EventId, SentWith> out = new HashMap<>();
        if (events.isEmpty()) {
            return out;
        }
        List<EventId> unknown = new ArrayList<>();
        for (EventId event : new LinkedHashSet<>(events)) {
            Optional<SentWith> cached = known.getIfPresent(event);
            if (cached == null) {
                unknown.add(event);
            } else {
                cached.ifPresent(sent -> out.put(event, sent));
            }
        }
        if (unknown.isEmpty()) {
            return out;
        }
        long stamp = known.stamp();
        List<String> ids = unknown.stream().map(EventId::value).toList();
        Map<EventId, SentWith> read = new HashMap<>();
        db.read(tx -> tx.dsl()
                        .selectFrom(EVENT_TXN_IDS)
                        .where(EVENT_TXN_IDS.EVENT_ID.in(ids))
                        .fetch())
                .forEach(r -> read.put(
                        new EventId(r.getEventId()),
                        new SentWith(UserId.parse(r.getUserId()), new DeviceId(r.getDeviceId()), r.getTxnId())));
        unknown.forEach(event -> known.put(event, Optional.ofNullable(read.get(event)), stamp));
        out.putAll(read);
        return out;
    }

    /** Forgets the events recorded before {@code cutoffMs}; returns how many. */
    public int deleteBefore(long cutoffMs) {
        return db.write(tx -> {
            int deleted = tx.dsl()
                    .deleteFrom(EVENT_TXN_IDS)
                    .where(EVENT_TXN_IDS.INSERTED_TS.lt(cutoffMs))
                    .execute();
            if (deleted > 0) {
                tx.afterCommit(() -> db.invalidation().invalidate(CACHE, List.of()));
            }
            return deleted;
        });
    }
}
