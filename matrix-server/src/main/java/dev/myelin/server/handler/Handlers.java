package dev.myelin.server.handler;

import dev.myelin.core.crypto.SigningKey;
import dev.myelin.core.id.ServerName;
import dev.myelin.core.room.RoomVersion;
import dev.myelin.core.time.Clock;
import dev.myelin.server.Stores;
import dev.myelin.server.config.HomeserverConfig;
import dev.myelin.server.handler.account.AccountHandler;
import dev.myelin.server.handler.account.AccountLifecycle;
import dev.myelin.server.handler.auth.TokenAuthenticator;
import dev.myelin.server.handler.auth.UserInteractiveAuth;
import dev.myelin.server.handler.push.NotificationCounter;
import dev.myelin.server.handler.push.PushRulesHandler;
import dev.myelin.server.handler.push.ReadReceiptPosition;
import dev.myelin.server.handler.device.DeviceHandler;
import dev.myelin.server.handler.profile.ProfileHandler;
import dev.myelin.server.handler.room.EventCreator;
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
        PushRulesHandler pushRules,
        NotificationCounter notificationCounter,
        ProfileHandler profiles,
        DeviceHandler devices,
        AccountLifecycle accountLifecycle) {

    public static Handlers create(HomeserverConfig config, Clock clock, ServerName serverName, SigningKey signingKey,
            Stores stores, RoomVersion defaultRoomVersion) {
        Notifier notifier = new Notifier(clock, stores);
        EventCreator events = new EventCreator(stores, clock, serverName, signingKey, notifier);
        PushRulesHandler pushRules = new PushRulesHandler(stores.accountData(), notifier);
        TokenAuthenticator authenticator = new TokenAuthenticator(stores.tokens(), stores.users(), stores.devices(), clock);
        DeviceHandler devices = new DeviceHandler(stores.devices(), stores.tokens(), authenticator);
        return new Handlers(serverName, defaultRoomVersion,
                authenticator,
                new UserInteractiveAuth(clock, stores.users(), serverName),
                new AccountHandler(serverName, stores.users(), stores.devices(), stores.tokens(), stores.profiles()),
                notifier,
                events,
                new RoomCreator(stores, events, serverName),
                new TransactionIds(clock),
                pushRules,
                // no receipts store yet: counts run from each user's join until one is wired in here
                new NotificationCounter(stores, pushRules, ReadReceiptPosition.NONE),
                new ProfileHandler(serverName, stores, events),
                devices,
                new AccountLifecycle(stores, devices, events));
    }
}
