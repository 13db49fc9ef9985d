package dev.myelin.server.handler;

import dev.myelin.core.crypto.SigningKey;
import dev.myelin.core.id.ServerName;
import dev.myelin.core.room.RoomVersion;
import dev.myelin.core.time.Clock;
import dev.myelin.server.Stores;
import dev.myelin.server.config.HomeserverConfig;
import dev.myelin.server.config.MediaConfig;
import dev.myelin.server.handler.media.MediaFiles;
import dev.myelin.server.handler.media.MediaHandler;
import dev.myelin.server.handler.media.ThumbnailHandler;
import dev.myelin.server.handler.media.UrlPreviewHandler;
import dev.myelin.http.client.IpBlocklist;
import dev.myelin.http.client.MatrixHttpClient;
import dev.myelin.http.client.OutboundConfig;
import java.time.Duration;
import java.util.Optional;
import dev.myelin.server.handler.account.AccountHandler;
import dev.myelin.server.handler.account.AccountLifecycle;
import dev.myelin.server.handler.auth.TokenAuthenticator;
import dev.myelin.server.handler.auth.UserInteractiveAuth;
import dev.myelin.server.handler.push.NotificationCounter;
import dev.myelin.server.handler.push.PushRulesHandler;
import dev.myelin.server.handler.push.NotificationCounts;
import dev.myelin.server.handler.receipt.StoredReadReceipts;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.myelin.server.handler.device.DeviceHandler;
import dev.myelin.server.handler.keys.CrossSigning;
import dev.myelin.server.handler.keys.DeviceLists;
import dev.myelin.server.handler.keys.KeysHandler;
import dev.myelin.server.handler.keys.KeysSync;
import dev.myelin.server.handler.profile.ProfileHandler;
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
import dev.myelin.server.handler.accountdata.AccountDataHandler;
import dev.myelin.server.handler.receipt.ReceiptHandler;
import dev.myelin.server.handler.sync.Notifier;
import dev.myelin.server.handler.sync.SyncHandler;
import dev.myelin.server.handler.typing.TypingHandler;
import dev.myelin.server.handler.backup.KeyBackupHandler;
import dev.myelin.server.handler.todevice.ToDeviceHandler;
import dev.myelin.server.handler.presence.PresenceHandler;
import dev.myelin.server.handler.openid.OpenIdTokens;
import dev.myelin.server.handler.report.ReportHandler;
import dev.myelin.server.handler.upgrade.RoomUpgrader;
import dev.myelin.server.handler.relations.RelationsHandler;
import dev.myelin.server.handler.userdirectory.UserDirectoryHandler;

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
        AccountLifecycle accountLifecycle,
        TypingHandler typing,
        ReceiptHandler receipts,
        AccountDataHandler accountData,
        SyncHandler sync,
        RoomStateReader roomState,
        HistoryVisibilityFilter visibility,
        ClientEvents clientEvents,
        MembershipHandler membership,
        RoomStateHandler roomStateWrites,
        RoomReadHandler roomReads,
        RoomTimelineHandler timeline,
        RoomDirectoryHandler directory,
        ToDeviceHandler toDevice,
        KeyBackupHandler keyBackups,
        MediaHandler media,
        ThumbnailHandler thumbnails,
        Optional<UrlPreviewHandler> urlPreviews,
        DeviceLists deviceLists,
        KeysHandler keys,
        CrossSigning crossSigning,
        // ---- presence, user directory, relations and more ----
        PresenceHandler presence,
        UserDirectoryHandler userDirectory,
        RelationsHandler relations,
        OpenIdTokens openIdTokens,
        ReportHandler reports,
        RoomUpgrader upgrades) {

    public static Handlers create(HomeserverConfig config, Clock clock, ServerName serverName, SigningKey signingKey,
            Stores stores, RoomVersion defaultRoomVersion) {
        Notifier notifier = new Notifier(clock);
        EventCreator events = new EventCreator(stores, clock, serverName, signingKey, notifier);
        PushRulesHandler pushRules = new PushRulesHandler(stores.accountData(), notifier);
        TokenAuthenticator authenticator = new TokenAuthenticator(stores.tokens(), stores.users(), stores.devices(), clock);
        DeviceLists deviceLists = new DeviceLists(stores, notifier);
        DeviceHandler devices = new DeviceHandler(stores.devices(), stores.tokens(), authenticator,
                stores.toDevice(), deviceLists);
        TransactionIds transactions = new TransactionIds(clock, stores.eventTxnIds());
        TypingHandler typing = new TypingHandler(clock, stores, notifier);
        NotificationCounter notificationCounter =
                new NotificationCounter(stores, pushRules, new StoredReadReceipts(stores));
        RoomStateReader roomState = new RoomStateReader(stores);
        HistoryVisibilityFilter visibility = new HistoryVisibilityFilter(stores, roomState);
        ClientEvents clientEvents = new ClientEvents(stores, clock);
        RoomReadHandler roomReads = new RoomReadHandler(stores, roomState, visibility);
        MediaHandler media = new MediaHandler(stores.media(), new MediaFiles(config.mediaStorePath()), clock,
                serverName, config.maxUploadSizeBytes(), config.media().enableAuthenticatedMedia());
        PresenceHandler presence = new PresenceHandler(clock, stores, notifier);
        RoomCreator rooms = new RoomCreator(stores, events, serverName);
        return new Handlers(serverName, defaultRoomVersion,
                authenticator,
                new UserInteractiveAuth(clock, stores.users(), serverName),
                new AccountHandler(serverName, stores.users(), stores.devices(), stores.tokens(), stores.profiles(),
                        deviceLists),
                notifier,
                events,
                rooms,
                transactions,
                pushRules,
                notificationCounter,
                new ProfileHandler(serverName, stores, events),
                devices,
                new AccountLifecycle(stores, devices, events),
                typing,
                new ReceiptHandler(stores, clock, notifier),
                new AccountDataHandler(stores, notifier),
                new SyncHandler(stores, clock, notifier, typing, clientEvents, visibility, pushRules, (user, room) -> {
                    NotificationCounts counts = notificationCounter.counts(user, room);
                    return JsonNodeFactory.instance.objectNode()
                            .put("notification_count", counts.notificationCount())
                            .put("highlight_count", counts.highlightCount());
                }, new KeysSync(deviceLists, stores.e2eKeys()), presence),
                roomState,
                visibility,
                clientEvents,
                new MembershipHandler(stores, events, roomState, serverName),
                new RoomStateHandler(stores, events, roomState),
                roomReads,
                new RoomTimelineHandler(stores, roomState, visibility, roomReads),
                new RoomDirectoryHandler(stores, roomState, visibility, serverName),
                new ToDeviceHandler(serverName, stores.toDevice(), stores.devices(), notifier, transactions),
                new KeyBackupHandler(stores.keyBackups()),
                media,
                new ThumbnailHandler(media, config.media().maxImagePixels()),
                urlPreviews(config.media(), media, clock),
                deviceLists,
                new KeysHandler(serverName, stores, deviceLists),
                new CrossSigning(stores, deviceLists),
                presence,
                new UserDirectoryHandler(stores, stores.userDirectory(), roomState),
                new RelationsHandler(stores, roomReads, visibility),
                new OpenIdTokens(clock),
                new ReportHandler(stores, roomReads, clock),
                new RoomUpgrader(stores, events, rooms, roomState));
    }

    private static Optional<UrlPreviewHandler> urlPreviews(MediaConfig config, MediaHandler media, Clock clock) {
        if (!config.urlPreviewEnabled()) {
            return Optional.empty();
        }
        long maxBytes = Math.min(Integer.MAX_VALUE, config.urlPreviewMaxBytes());
        OutboundConfig outbound = OutboundConfig.defaults()
                .withBlocklist(IpBlocklist.of(config.urlPreviewBlockedRanges(), config.urlPreviewAllowedRanges()))
                .withMaxResponseBytes((int) maxBytes)
                .withTimeouts(Duration.ofSeconds(10), Duration.ofSeconds(30));
        return Optional.of(new UrlPreviewHandler(MatrixHttpClient.create(outbound), media, clock));
    }
}
