package dev.myelin.server.area;

import dev.myelin.http.server.Router;
import dev.myelin.server.api.client.filter.CreateFilterEndpoint;
import dev.myelin.server.api.client.filter.GetFilterEndpoint;
import dev.myelin.server.api.client.sync.SyncEndpoint;
import dev.myelin.server.handler.sync.EncryptionSync;
import dev.myelin.server.handler.sync.RemoteInviteSync;
import dev.myelin.server.handler.sync.RemoteKnockSync;
import dev.myelin.server.handler.sync.RoomSyncBuilder;
import dev.myelin.server.handler.sync.SyncHandler;
import dev.myelin.server.handler.sync.SyncPositions;
import dev.myelin.storage.account.AccountDataStore;
import dev.myelin.storage.account.FilterStore;
import dev.myelin.storage.device.ToDeviceStore;
import dev.myelin.storage.room.ForgottenRoomStore;
import dev.myelin.storage.room.RemoteInviteStore;
import dev.myelin.storage.room.RemoteKnockStore;

/**
 * {@code /sync} and the filters clients upload for it. Sync reads what every other area writes, so
 * it comes after them: it takes what each offers for its section of the response.
 */
public final class SyncArea {
    private SyncArea() {}

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
        RoomSyncBuilder roomSync = new RoomSyncBuilder(
                rooms.state(),
                rooms.events(),
                ephemeral.typing(),
                rooms.clientEvents(),
                rooms.visibility(),
                push.unread(),
                core.clock());
        SyncHandler sync = new SyncHandler(
                rooms.events(),
                rooms.state(),
                accountData,
                ephemeral.receipts(),
                inbox,
                core.clock(),
                core.notifier(),
                positions,
                roomSync,
                push.rules(),
                encryption,
                ephemeral.presence(),
                new RemoteInviteSync(
                        new RemoteInviteStore(core.database()), rooms.events(), rooms.clientEvents(), rooms.state()),
                new RemoteKnockSync(
                        new RemoteKnockStore(core.database()),
                        new RemoteInviteStore(core.database()),
                        rooms.events(),
                        rooms.clientEvents(),
                        rooms.state()),
                new ForgottenRoomStore(core.database()));
        FilterStore filters = new FilterStore(core.database());
        router.register(new SyncEndpoint(sync, filters));
        router.register(new CreateFilterEndpoint(filters));
        router.register(new GetFilterEndpoint(filters));
    }
}
