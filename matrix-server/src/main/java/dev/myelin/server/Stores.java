package dev.myelin.server;

import dev.myelin.core.time.Clock;
import dev.myelin.storage.Database;
import dev.myelin.storage.account.AccessTokenStore;
import dev.myelin.storage.account.AccountDataStore;
import dev.myelin.storage.account.DeviceStore;
import dev.myelin.storage.account.FilterStore;
import dev.myelin.storage.account.PasswordHasher;
import dev.myelin.storage.account.ProfileStore;
import dev.myelin.storage.account.TagStore;
import dev.myelin.storage.account.UserDirectoryStore;
import dev.myelin.storage.account.UserStore;
import dev.myelin.storage.backup.KeyBackupStore;
import dev.myelin.storage.device.DeviceListStore;
import dev.myelin.storage.device.ToDeviceStore;
import dev.myelin.storage.persist.EventPersister;
import dev.myelin.storage.event.EventStore;
import dev.myelin.storage.event.EventTxnIdStore;
import dev.myelin.storage.media.MediaStore;
import dev.myelin.storage.keys.CrossSigningStore;
import dev.myelin.storage.keys.E2eKeyStore;
import dev.myelin.storage.push.PusherStore;
import dev.myelin.storage.receipt.ReceiptStore;
import dev.myelin.storage.relation.RelationStore;
import dev.myelin.storage.room.ForgottenRoomStore;
import dev.myelin.storage.room.ReportStore;
import dev.myelin.storage.room.RoomAliasStore;
import dev.myelin.storage.room.RoomStore;
import dev.myelin.storage.state.StateStore;
import dev.myelin.storage.stream.StreamIds;

/** Every store of one database, built once by the composition root. */
public record Stores(
        Database database,
        StreamIds streams,
        UserStore users,
        AccessTokenStore tokens,
        DeviceStore devices,
        ProfileStore profiles,
        FilterStore filters,
        AccountDataStore accountData,
        TagStore tags,
        RoomStore rooms,
        RoomAliasStore aliases,
        EventStore events,
        EventTxnIdStore eventTxnIds,
        StateStore state,
        EventPersister persister,
        PusherStore pushers,
        ReceiptStore receipts,
        ForgottenRoomStore forgotten,
        ToDeviceStore toDevice,
        KeyBackupStore keyBackups,
        MediaStore media,
        DeviceListStore deviceLists,
        E2eKeyStore e2eKeys,
        CrossSigningStore crossSigning,
        // ---- presence, user directory, relations and more ----
        UserDirectoryStore userDirectory,
        RelationStore relations,
        ReportStore reports) {

    /** BCrypt cost for password hashes; tests lower it because hashing is deliberately slow. */
    public static Stores create(Database db, Clock clock, int bcryptCost) {
        StreamIds streams = new StreamIds(db);
        StateStore state = new StateStore(db);
        DeviceListStore deviceLists = new DeviceListStore(db, streams);
        RelationStore relations = new RelationStore(db);
        return new Stores(db, streams,
                new UserStore(db, clock, PasswordHasher.bcrypt(bcryptCost)),
                new AccessTokenStore(db, clock),
                new DeviceStore(db, clock),
                new ProfileStore(db),
                new FilterStore(db),
                new AccountDataStore(db, streams),
                new TagStore(db, streams),
                new RoomStore(db),
                new RoomAliasStore(db),
                new EventStore(db, streams),
                new EventTxnIdStore(db),
                state,
                new EventPersister(db, streams, state, relations),
                new PusherStore(db, clock),
                new ReceiptStore(db, streams),
                new ForgottenRoomStore(db),
                new ToDeviceStore(db, streams),
                new KeyBackupStore(db),
                new MediaStore(db, clock),
                deviceLists,
                new E2eKeyStore(db, deviceLists),
                new CrossSigningStore(db, deviceLists),
                new UserDirectoryStore(db),
                relations,
                new ReportStore(db));
    }
}
