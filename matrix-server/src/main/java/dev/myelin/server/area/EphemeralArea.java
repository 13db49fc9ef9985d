package dev.myelin.server.area;

import dev.myelin.http.server.Router;
import dev.myelin.server.api.client.presence.GetPresenceEndpoint;
import dev.myelin.server.api.client.presence.SetPresenceEndpoint;
import dev.myelin.server.api.client.receipt.ReadMarkersEndpoint;
import dev.myelin.server.api.client.receipt.ReceiptEndpoint;
import dev.myelin.server.api.client.typing.TypingEndpoint;
import dev.myelin.server.handler.presence.PresenceHandler;
import dev.myelin.server.handler.receipt.ReadReceiptListener;
import dev.myelin.server.handler.receipt.ReceiptHandler;
import dev.myelin.server.handler.typing.TypingHandler;
import dev.myelin.storage.account.AccountDataStore;
import dev.myelin.storage.receipt.ReceiptStore;

/**
 * What users signal about themselves besides events: typing notifications, read receipts and read
 * markers, and presence. Offers each of them to sync, and the receipts to notification counts.
 */
public final class EphemeralArea {
    private final TypingHandler typing;
    private final ReceiptStore receipts;
    private final ReceiptHandler receiptHandler;
    private final PresenceHandler presence;

    private EphemeralArea(
            TypingHandler typing, ReceiptStore receipts, ReceiptHandler receiptHandler, PresenceHandler presence) {
        this.typing = typing;
        this.receipts = receipts;
        this.receiptHandler = receiptHandler;
        this.presence = presence;
    }

    /**
     * {@code accountData} is where the {@code m.fully_read} marker is kept; without {@code
     * presenceEnabled} everyone is offline.
     */
    public static EphemeralArea install(
            Router router, Core core, RoomCore rooms, AccountDataStore accountData, boolean presenceEnabled) {
        TypingHandler typing = new TypingHandler(core.clock(), rooms.state(), core.notifier());
        ReceiptStore receipts = new ReceiptStore(core.database(), core.streams());
        ReceiptHandler receiptHandler =
                new ReceiptHandler(rooms.state(), rooms.events(), accountData, receipts, core.clock(), core.notifier());
        PresenceHandler presence = new PresenceHandler(
                core.serverName(), presenceEnabled, core.clock(), rooms.state(), core.users(), core.notifier());
        router.register(new TypingEndpoint(typing));
        router.register(new ReceiptEndpoint(receiptHandler));
        router.register(new ReadMarkersEndpoint(receiptHandler));
        router.register(new SetPresenceEndpoint(presence));
        router.register(new GetPresenceEndpoint(presence, core.clock()));
        return new EphemeralArea(typing, receipts, receiptHandler, presence);
    }

    public TypingHandler typing() {
        return typing;
    }

    public ReceiptStore receipts() {
        return receipts;
    }

    /** Tells {@code listener} of every read receipt set from now on (push sends the new unread count). */
    public void onReadReceipt(ReadReceiptListener listener) {
        receiptHandler.addReadReceiptListener(listener);
    }

    /** Read receipts and markers: set by clients, and by other servers for their users. */
    public ReceiptHandler receiptHandler() {
        return receiptHandler;
    }

    public PresenceHandler presence() {
        return presence;
    }
}
