package dev.myelin.server.area;

import dev.myelin.http.server.Router;
import dev.myelin.server.api.client.legacy.EventStreamEndpoint;
import dev.myelin.server.api.client.legacy.InitialSyncEndpoint;
import dev.myelin.server.api.client.legacy.LegacyGetEventEndpoint;
import dev.myelin.server.api.client.legacy.RoomInitialSyncEndpoint;
import dev.myelin.server.api.client.legacy.SendMessageWithoutTxnEndpoint;
import dev.myelin.server.handler.legacy.EventStreamHandler;
import dev.myelin.server.handler.legacy.InitialSyncHandler;
import dev.myelin.server.handler.legacy.LegacyEventReader;
import dev.myelin.server.handler.room.RoomReadHandler;
import dev.myelin.server.handler.room.RoomTimelineHandler;
import dev.myelin.server.handler.sync.SyncPositions;
import dev.myelin.storage.account.AccountDataStore;
import dev.myelin.storage.room.ForgottenRoomStore;

/**
 * The deprecated Client-Server APIs from before {@code /sync} that clients, bots and test suites
 * still call: the event stream {@code /events}, {@code /initialSync} of all rooms or one,
 * {@code /events/{eventId}}, and sending without a transaction id. They read what the room,
 * account data and ephemeral areas write, with {@code /sync}'s tokens and long-poll notifier.
 */
public final class LegacyArea {
    private LegacyArea() {}

    /** {@code reads} are the room reads of {@link RoomsArea}, with their access checks. */
    public static void install(
            Router router,
            Core core,
            RoomCore rooms,
            RoomReadHandler reads,
            AccountDataStore accountData,
            EphemeralArea ephemeral) {
        SyncPositions positions = new SyncPositions(
                rooms.events(),
                accountData,
                ephemeral.receipts(),
                core.streams(),
                ephemeral.typing(),
                ephemeral.presence());
        EventStreamHandler stream = new EventStreamHandler(
                rooms.events(),
                rooms.state(),
                rooms.visibility(),
                accountData,
                ephemeral.receipts(),
                ephemeral.typing(),
                ephemeral.presence(),
                core.notifier(),
                positions,
                rooms.clientEvents(),
                core.clock());
        InitialSyncHandler snapshots = new InitialSyncHandler(
                rooms.state(),
                rooms.rooms(),
                new ForgottenRoomStore(core.database()),
                rooms.roomState(),
                reads,
                new RoomTimelineHandler(rooms.events(), rooms.roomState(), rooms.visibility(), reads),
                accountData,
                ephemeral.receipts(),
                ephemeral.presence(),
                positions,
                rooms.clientEvents(),
                core.clock());
        router.register(new EventStreamEndpoint(stream));
        router.register(new LegacyGetEventEndpoint(new LegacyEventReader(rooms.events(), reads, rooms.clientEvents())));
        router.register(new InitialSyncEndpoint(snapshots));
        router.register(new RoomInitialSyncEndpoint(snapshots));
        router.register(new SendMessageWithoutTxnEndpoint(rooms.creator()));
    }
}
