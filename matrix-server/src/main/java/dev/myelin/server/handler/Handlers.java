package dev.myelin.server.handler;

import dev.myelin.core.crypto.SigningKey;
import dev.myelin.core.id.ServerName;
import dev.myelin.core.room.RoomVersion;
import dev.myelin.core.time.Clock;
import dev.myelin.server.Stores;
import dev.myelin.server.config.HomeserverConfig;
import dev.myelin.server.handler.account.AccountHandler;
import dev.myelin.server.handler.auth.TokenAuthenticator;
import dev.myelin.server.handler.auth.UserInteractiveAuth;
import dev.myelin.server.handler.room.EventCreator;
import dev.myelin.server.handler.room.RoomCreator;
import dev.myelin.server.handler.room.TransactionIds;
import dev.myelin.server.handler.accountdata.AccountDataHandler;
import dev.myelin.server.handler.receipt.ReceiptHandler;
import dev.myelin.server.handler.sync.Notifier;
import dev.myelin.server.handler.sync.SyncHandler;
import dev.myelin.server.handler.sync.UnreadNotifications;
import dev.myelin.server.handler.typing.TypingHandler;

/** Every handler of one homeserver, built once by the composition root. */
public record Handlers(
        ServerName serverName,
        RoomVersion defaultRoomVersion,
        TokenAuthenticator authenticator,
        UserInteractiveAuth uia,
        AccountHandler accounts,
        Notifier notifier,
        EventCreator events,
        RoomCreator rooms,
        TransactionIds transactions,
        TypingHandler typing,
        ReceiptHandler receipts,
        AccountDataHandler accountData,
        SyncHandler sync) {

    public static Handlers create(HomeserverConfig config, Clock clock, ServerName serverName, SigningKey signingKey,
            Stores stores, RoomVersion defaultRoomVersion) {
        Notifier notifier = new Notifier(clock);
        EventCreator events = new EventCreator(stores, clock, serverName, signingKey, notifier);
        TypingHandler typing = new TypingHandler(clock, stores, notifier);
        return new Handlers(serverName, defaultRoomVersion,
                new TokenAuthenticator(stores.tokens(), stores.users()),
                new UserInteractiveAuth(clock, stores.users(), serverName),
                new AccountHandler(serverName, stores.users(), stores.devices(), stores.tokens(), stores.profiles()),
                notifier,
                events,
                new RoomCreator(stores, events, serverName),
                new TransactionIds(clock),
                typing,
                new ReceiptHandler(stores, clock, notifier),
                new AccountDataHandler(stores, notifier),
                new SyncHandler(stores, clock, notifier, typing, UnreadNotifications.NONE));
    }
}
