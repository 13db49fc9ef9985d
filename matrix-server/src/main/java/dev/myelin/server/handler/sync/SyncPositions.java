package dev.myelin.server.handler.sync;

import dev.myelin.server.handler.presence.PresenceHandler;
import dev.myelin.server.handler.typing.TypingHandler;
import dev.myelin.storage.account.AccountDataStore;
import dev.myelin.storage.event.EventStore;
import dev.myelin.storage.receipt.ReceiptStore;
import dev.myelin.storage.stream.Stream;
import dev.myelin.storage.stream.StreamIds;

/**
 * The current position of every stream a sync token covers: the {@code next_batch} of a sync that
 * ran now. Each stream keeps its own position (in its store, or in memory for typing and presence).
 */
public final class SyncPositions {
    private final EventStore events;
    private final AccountDataStore accountData;
    private final ReceiptStore receipts;
    private final StreamIds streams;
    private final TypingHandler typing;
    private final PresenceHandler presence;

    public SyncPositions(
            EventStore events,
            AccountDataStore accountData,
            ReceiptStore receipts,
            StreamIds streams,
            TypingHandler typing,
            PresenceHandler presence) {
        this.events = events;
        this.accountData = accountData;
        this.receipts = receipts;
        this.streams = streams;
        this.typing = typing;
        this.presence = presence;
    }

    public SyncToken current() {
        return new SyncToken(
                events.currentPosition(),
                accountData.currentPosition(),
                receipts.currentPosition(),
                typing.currentPosition(),
                streams.currentPosition(Stream.TO_DEVICE),
                streams.currentPosition(Stream.DEVICE_LISTS),
                presence.currentPosition());
    }
}
