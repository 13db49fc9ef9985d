package dev.myelin.server.area;

import dev.myelin.http.server.Router;
import dev.myelin.server.api.client.slidingsync.SlidingSyncEndpoint;
import dev.myelin.server.handler.slidingsync.SlidingSyncHandler;
import dev.myelin.server.handler.sync.EncryptionSync;
import dev.myelin.server.handler.sync.SyncPositions;
import dev.myelin.storage.account.AccountDataStore;
import dev.myelin.storage.device.ToDeviceStore;
import dev.myelin.storage.room.ForgottenRoomStore;

/**
 * Simplified sliding sync (MSC4186): the room-list sync of Element X and other matrix-rust-sdk
 * clients. It reads what /sync reads, from the same stores, caches and wake-ups.
 */
public final class SlidingSyncArea {
    private SlidingSyncArea() {}

    public static void install(
            Router router,
            Core core,
            RoomCore rooms,
            AccountDataStore accountData,
            EphemeralArea ephemeral,
            PushArea push,
            ToDeviceStore inbox,
            EncryptionSync encryption) {
        SyncPositions positions = new SyncPositions(
                rooms.events(),
                accountData,
                ephemeral.receipts(),
                core.streams(),
                ephemeral.typing(),
                ephemeral.presence());
        SlidingSyncHandler handler = SlidingSyncHandler.create(
                rooms.state(),
                rooms.events(),
                accountData,
                ephemeral.receipts(),
                inbox,
                new ForgottenRoomStore(core.database()),
                core.streams(),
                positions,
                core.notifier(),
                core.clock(),
                rooms.clientEvents(),
                rooms.visibility(),
                push.unread(),
                push.rules(),
                encryption,
                ephemeral.typing());
        router.register(new SlidingSyncEndpoint(handler, ephemeral.presence()));
    }
}
