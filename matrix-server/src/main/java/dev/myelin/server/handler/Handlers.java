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
import dev.myelin.server.handler.directory.RoomDirectoryHandler;
import dev.myelin.server.handler.room.ClientEvents;
import dev.myelin.server.handler.room.EventCreator;
import dev.myelin.server.handler.room.HistoryVisibilityFilter;
import dev.myelin.server.handler.room.MembershipHandler;
import dev.myelin.server.handler.room.RoomReadHandler;
import dev.myelin.server.handler.room.RoomStateHandler;
import dev.myelin.server.handler.room.RoomStateReader;
import dev.myelin.server.handler.room.RoomTimelineHandler;
import dev.myelin.server.handler.room.RoomCreator;
import dev.myelin.server.handler.room.TransactionIds;
import dev.myelin.server.handler.sync.Notifier;

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
        RoomStateReader roomState,
        HistoryVisibilityFilter visibility,
        ClientEvents clientEvents,
        MembershipHandler membership,
        RoomStateHandler roomStateWrites,
        RoomReadHandler roomReads,
        RoomTimelineHandler timeline,
        RoomDirectoryHandler directory) {

    public static Handlers create(HomeserverConfig config, Clock clock, ServerName serverName, SigningKey signingKey,
            Stores stores, RoomVersion defaultRoomVersion) {
        Notifier notifier = new Notifier(clock, stores);
        EventCreator events = new EventCreator(stores, clock, serverName, signingKey, notifier);
        RoomStateReader roomState = new RoomStateReader(stores);
        HistoryVisibilityFilter visibility = new HistoryVisibilityFilter(stores, roomState);
        ClientEvents clientEvents = new ClientEvents(stores);
        RoomReadHandler roomReads = new RoomReadHandler(stores, roomState, visibility);
        return new Handlers(serverName, defaultRoomVersion,
                new TokenAuthenticator(stores.tokens(), stores.users()),
                new UserInteractiveAuth(clock, stores.users(), serverName),
                new AccountHandler(serverName, stores.users(), stores.devices(), stores.tokens(), stores.profiles()),
                notifier,
                events,
                new RoomCreator(stores, events, serverName),
                new TransactionIds(clock),
                roomState,
                visibility,
                clientEvents,
                new MembershipHandler(stores, events, roomState, serverName),
                new RoomStateHandler(stores, events, roomState),
                roomReads,
                new RoomTimelineHandler(stores, roomState, visibility, roomReads),
                new RoomDirectoryHandler(stores, roomState, visibility, serverName));
    }
}
