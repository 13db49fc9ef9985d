package dev.myelin.server.handler.receipt;

import dev.myelin.core.id.EventId;
import dev.myelin.core.id.RoomId;
import dev.myelin.core.id.UserId;
import dev.myelin.server.handler.push.ReadReceiptPosition;
import dev.myelin.storage.event.EventStore;
import dev.myelin.storage.event.StoredEvent;
import dev.myelin.storage.receipt.Receipt;
import dev.myelin.storage.receipt.ReceiptStore;
import java.util.Comparator;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * Where a user has read up to, from the stored receipts: whichever of the user's {@code m.read}
 * and {@code m.read.private} receipts points further along the room's timeline, as "Marking
 * notifications as read" requires.
 */
public final class StoredReadReceipts implements ReadReceiptPosition {
    private final ReceiptStore receiptStore;
    private final EventStore events;

    public StoredReadReceipts(ReceiptStore receiptStore, EventStore events) {
        this.receiptStore = receiptStore;
        this.events = events;
    }

    @Override
    public Optional<EventId> latestReadReceipt(UserId user, RoomId room) {
        return Stream.of("m.read", "m.read.private")
                .map(type -> receiptStore.get(room, type, user))
                .flatMap(Optional::stream)
                .map(Receipt::eventId)
                .flatMap(id -> events.get(id).stream())
                .max(Comparator.comparing(StoredEvent::position))
                .map(StoredEvent::eventId);
    }
}
