package dev.myelin.server.api;

import dev.myelin.core.time.Clock;
import dev.myelin.http.server.Router;
import dev.myelin.server.Stores;
import dev.myelin.server.api.admin.SharedSecretRegisterEndpoints;
import dev.myelin.server.api.client.VersionsEndpoint;
import dev.myelin.server.api.client.WellKnownClientEndpoint;
import dev.myelin.server.api.client.account.LoginEndpoint;
import dev.myelin.server.api.client.account.LoginFlowsEndpoint;
import dev.myelin.server.api.client.account.LogoutEndpoint;
import dev.myelin.server.api.client.account.RefreshEndpoint;
import dev.myelin.server.api.client.account.RegisterAvailableEndpoint;
import dev.myelin.server.api.client.account.RegisterEndpoint;
import dev.myelin.server.api.client.account.WhoamiEndpoint;
import dev.myelin.server.api.client.push.DeletePushRuleEndpoint;
import dev.myelin.server.api.client.push.GetNotificationsEndpoint;
import dev.myelin.server.api.client.push.GetPushRuleActionsEndpoint;
import dev.myelin.server.api.client.push.GetPushRuleEnabledEndpoint;
import dev.myelin.server.api.client.push.GetPushRuleEndpoint;
import dev.myelin.server.api.client.push.GetPushRulesEndpoint;
import dev.myelin.server.api.client.push.GetPushersEndpoint;
import dev.myelin.server.api.client.push.PutPushRuleActionsEndpoint;
import dev.myelin.server.api.client.push.PutPushRuleEnabledEndpoint;
import dev.myelin.server.api.client.push.PutPushRuleEndpoint;
import dev.myelin.server.api.client.push.SetPusherEndpoint;
import dev.myelin.server.api.client.room.CreateRoomEndpoint;
import dev.myelin.server.api.client.room.SendEventEndpoint;
import dev.myelin.server.api.client.CapabilitiesEndpoint;
import dev.myelin.server.api.client.account.ChangePasswordEndpoint;
import dev.myelin.server.api.client.account.DeactivateEndpoint;
import dev.myelin.server.api.client.account.ThreePidsEndpoint;
import dev.myelin.server.api.client.device.DeleteDeviceEndpoint;
import dev.myelin.server.api.client.device.DeleteDevicesEndpoint;
import dev.myelin.server.api.client.device.GetDeviceEndpoint;
import dev.myelin.server.api.client.device.ListDevicesEndpoint;
import dev.myelin.server.api.client.device.UpdateDeviceEndpoint;
import dev.myelin.server.api.client.profile.GetProfileEndpoint;
import dev.myelin.server.api.client.profile.GetProfileFieldEndpoint;
import dev.myelin.server.api.client.profile.SetProfileFieldEndpoint;
import dev.myelin.server.api.client.accountdata.DeleteTagEndpoint;
import dev.myelin.server.api.client.accountdata.GetAccountDataEndpoint;
import dev.myelin.server.api.client.accountdata.GetTagsEndpoint;
import dev.myelin.server.api.client.accountdata.PutAccountDataEndpoint;
import dev.myelin.server.api.client.accountdata.PutTagEndpoint;
import dev.myelin.server.api.client.filter.CreateFilterEndpoint;
import dev.myelin.server.api.client.filter.GetFilterEndpoint;
import dev.myelin.server.api.client.receipt.ReadMarkersEndpoint;
import dev.myelin.server.api.client.receipt.ReceiptEndpoint;
import dev.myelin.server.api.client.sync.SyncEndpoint;
import dev.myelin.server.api.client.typing.TypingEndpoint;
import dev.myelin.server.api.client.backup.CreateBackupVersionEndpoint;
import dev.myelin.server.api.client.backup.DeleteBackupVersionEndpoint;
import dev.myelin.server.api.client.backup.DeleteRoomKeysEndpoint;
import dev.myelin.server.api.client.backup.GetBackupVersionEndpoint;
import dev.myelin.server.api.client.backup.GetLatestBackupVersionEndpoint;
import dev.myelin.server.api.client.backup.GetRoomKeysEndpoint;
import dev.myelin.server.api.client.backup.PutRoomKeysEndpoint;
import dev.myelin.server.api.client.backup.RoomKeysLevel;
import dev.myelin.server.api.client.backup.UpdateBackupVersionEndpoint;
import dev.myelin.server.api.client.todevice.SendToDeviceEndpoint;
import dev.myelin.http.server.HttpMethod;
import dev.myelin.server.api.client.directory.DeleteAliasEndpoint;
import dev.myelin.server.api.client.directory.GetAliasEndpoint;
import dev.myelin.server.api.client.directory.GetRoomVisibilityEndpoint;
import dev.myelin.server.api.client.directory.PublicRoomsEndpoint;
import dev.myelin.server.api.client.directory.PutAliasEndpoint;
import dev.myelin.server.api.client.directory.RoomAliasesEndpoint;
import dev.myelin.server.api.client.directory.SetRoomVisibilityEndpoint;
import dev.myelin.server.api.client.room.ContextEndpoint;
import dev.myelin.server.api.client.room.ForgetEndpoint;
import dev.myelin.server.api.client.room.GetEventEndpoint;
import dev.myelin.server.api.client.room.GetStateEndpoint;
import dev.myelin.server.api.client.room.GetStateEventEndpoint;
import dev.myelin.server.api.client.room.JoinedMembersEndpoint;
import dev.myelin.server.api.client.room.MembersEndpoint;
import dev.myelin.server.api.client.room.MessagesEndpoint;
import dev.myelin.server.api.client.room.RedactEndpoint;
import dev.myelin.server.api.client.room.SetStateEndpoint;
import dev.myelin.server.api.client.room.TimestampToEventEndpoint;
import dev.myelin.server.api.client.room.InviteEndpoint;
import dev.myelin.server.api.client.room.JoinEndpoint;
import dev.myelin.server.api.client.room.JoinRoomEndpoint;
import dev.myelin.server.api.client.room.JoinedRoomsEndpoint;
import dev.myelin.server.api.client.room.LeaveEndpoint;
import dev.myelin.server.api.client.room.ModerationEndpoint;
import dev.myelin.server.api.client.keys.ClaimKeysEndpoint;
import dev.myelin.server.api.client.keys.KeyChangesEndpoint;
import dev.myelin.server.api.client.keys.QueryKeysEndpoint;
import dev.myelin.server.api.client.keys.UploadCrossSigningKeysEndpoint;
import dev.myelin.server.api.client.keys.UploadKeysEndpoint;
import dev.myelin.server.api.client.keys.UploadSignaturesEndpoint;
import dev.myelin.server.config.HomeserverConfig;
import dev.myelin.server.api.client.media.CreateMediaEndpoint;
import dev.myelin.server.api.client.media.DownloadEndpoint;
import dev.myelin.server.api.client.media.MediaAccess;
import dev.myelin.server.api.client.media.MediaConfigEndpoint;
import dev.myelin.server.api.client.media.PreviewUrlEndpoint;
import dev.myelin.server.api.client.media.ThumbnailEndpoint;
import dev.myelin.server.api.client.media.UploadEndpoint;
import dev.myelin.server.api.client.media.UploadToMxcEndpoint;
import dev.myelin.server.handler.profile.ProfileHandler;
import dev.myelin.server.handler.Handlers;
import dev.myelin.server.api.client.presence.GetPresenceEndpoint;
import dev.myelin.server.api.client.presence.SetPresenceEndpoint;
import dev.myelin.server.api.client.userdirectory.UserDirectorySearchEndpoint;
import dev.myelin.server.api.client.relations.RelationsEndpoint;
import dev.myelin.server.api.client.relations.ThreadsEndpoint;
import dev.myelin.server.api.client.voip.TurnServerEndpoint;
import dev.myelin.server.api.client.thirdparty.ProtocolsEndpoint;
import dev.myelin.server.api.client.openid.RequestOpenIdTokenEndpoint;
import dev.myelin.server.api.federation.OpenIdUserInfoEndpoint;
import dev.myelin.server.api.client.report.ReportEventEndpoint;
import dev.myelin.server.api.client.report.ReportRoomEndpoint;
import dev.myelin.server.api.client.room.UpgradeRoomEndpoint;

/** Registers the Client-Server API (and the admin endpoints clients' tooling uses), one line per endpoint. */
public final class ClientApi {
    private ClientApi() {}

    public static void register(Router router, HomeserverConfig config, Clock clock, Stores stores, Handlers h) {
        // Older clients still speak the r0 prefix, which v3 replaced without changing these endpoints.
        router.aliasPrefix("/_matrix/client/r0/", "/_matrix/client/v3/");
        router.register(new VersionsEndpoint());
        router.register(new WellKnownClientEndpoint(config.publicBaseUrl()));

        router.register(new RegisterEndpoint(h.accounts(), h.uia(), clock, config.enableRegistration()));
        router.register(new RegisterAvailableEndpoint(h.accounts()));
        router.register(new LoginFlowsEndpoint());
        router.register(new LoginEndpoint(h.accounts(), h.uia(), clock));
        router.register(new RefreshEndpoint(stores.tokens(), clock));
        router.register(new WhoamiEndpoint());
        router.register(new LogoutEndpoint(stores.tokens(), h.devices(), false));
        router.register(new LogoutEndpoint(stores.tokens(), h.devices(), true));
        new SharedSecretRegisterEndpoints(h.accounts(), clock, config.registrationSharedSecret())
                .endpoints().forEach(router::register);

        router.register(new CreateRoomEndpoint(h.rooms(), h.defaultRoomVersion()));
        router.register(new SendEventEndpoint(h.events(), h.transactions()));

        // Push notifications: push rules, pushers, notifications
        router.register(new GetPushRulesEndpoint(h.pushRules(), false));
        router.register(new GetPushRulesEndpoint(h.pushRules(), true));
        router.register(new GetPushRuleEndpoint(h.pushRules()));
        router.register(new PutPushRuleEndpoint(h.pushRules()));
        router.register(new DeletePushRuleEndpoint(h.pushRules()));
        router.register(new GetPushRuleEnabledEndpoint(h.pushRules()));
        router.register(new PutPushRuleEnabledEndpoint(h.pushRules()));
        router.register(new GetPushRuleActionsEndpoint(h.pushRules()));
        router.register(new PutPushRuleActionsEndpoint(h.pushRules()));
        router.register(new GetPushersEndpoint(stores.pushers()));
        router.register(new SetPusherEndpoint(stores.pushers()));
        router.register(new GetNotificationsEndpoint());

        // Accounts, profile and devices.
        router.register(new GetProfileEndpoint(h.profiles()));
        router.register(new GetProfileFieldEndpoint(h.profiles(), ProfileHandler.Field.DISPLAYNAME));
        router.register(new SetProfileFieldEndpoint(h.profiles(), ProfileHandler.Field.DISPLAYNAME));
        router.register(new GetProfileFieldEndpoint(h.profiles(), ProfileHandler.Field.AVATAR_URL));
        router.register(new SetProfileFieldEndpoint(h.profiles(), ProfileHandler.Field.AVATAR_URL));
        router.register(new ListDevicesEndpoint(h.devices()));
        router.register(new GetDeviceEndpoint(h.devices()));
        router.register(new UpdateDeviceEndpoint(h.devices()));
        router.register(new DeleteDeviceEndpoint(h.devices(), h.uia()));
        router.register(new DeleteDevicesEndpoint(h.devices(), h.uia()));
        router.register(new ChangePasswordEndpoint(h.accountLifecycle(), h.uia()));
        router.register(new DeactivateEndpoint(h.accountLifecycle(), h.uia()));
        router.register(new ThreePidsEndpoint());
        router.register(new CapabilitiesEndpoint(h.defaultRoomVersion()));
        // ---- sync, filters, typing, receipts, account data and tags ----
        router.register(new SyncEndpoint(h.sync(), stores.filters()));
        router.register(new CreateFilterEndpoint(stores.filters()));
        router.register(new GetFilterEndpoint(stores.filters()));
        router.register(new TypingEndpoint(h.typing()));
        router.register(new ReceiptEndpoint(h.receipts()));
        router.register(new ReadMarkersEndpoint(h.receipts()));
        router.register(new GetAccountDataEndpoint(h.accountData(), false));
        router.register(new PutAccountDataEndpoint(h.accountData(), false));
        router.register(new GetAccountDataEndpoint(h.accountData(), true));
        router.register(new PutAccountDataEndpoint(h.accountData(), true));
        router.register(new GetTagsEndpoint(h.accountData()));
        router.register(new PutTagEndpoint(h.accountData()));
        router.register(new DeleteTagEndpoint(h.accountData()));
        // ---- end of sync block ----
        // ---- rooms: membership, state, events, timeline, aliases and directory ----
        router.register(new JoinEndpoint(h.membership()));
        router.register(new JoinRoomEndpoint(h.membership()));
        router.register(new InviteEndpoint(h.membership()));
        router.register(new LeaveEndpoint(h.membership()));
        router.register(new ForgetEndpoint(h.membership()));
        router.register(new ModerationEndpoint(h.membership(), ModerationEndpoint.Action.KICK));
        router.register(new ModerationEndpoint(h.membership(), ModerationEndpoint.Action.BAN));
        router.register(new ModerationEndpoint(h.membership(), ModerationEndpoint.Action.UNBAN));
        router.register(new JoinedRoomsEndpoint(h.membership()));
        router.register(new SetStateEndpoint(h.roomStateWrites()));
        router.register(new GetStateEventEndpoint(h.roomReads(), h.clientEvents()));
        router.register(new GetStateEndpoint(h.roomReads(), h.clientEvents()));
        router.register(new GetEventEndpoint(h.roomReads(), h.clientEvents()));
        router.register(new RedactEndpoint(h.roomStateWrites(), h.transactions()));
        router.register(new MembersEndpoint(h.roomReads(), h.clientEvents()));
        router.register(new JoinedMembersEndpoint(h.roomReads()));
        router.register(new MessagesEndpoint(h.timeline(), h.clientEvents()));
        router.register(new ContextEndpoint(h.timeline(), h.clientEvents()));
        router.register(new TimestampToEventEndpoint(h.timeline()));
        router.register(new PutAliasEndpoint(h.directory()));
        router.register(new GetAliasEndpoint(h.directory()));
        router.register(new DeleteAliasEndpoint(h.directory()));
        router.register(new RoomAliasesEndpoint(h.directory()));
        router.register(new GetRoomVisibilityEndpoint(h.directory()));
        router.register(new SetRoomVisibilityEndpoint(h.directory()));
        router.register(new PublicRoomsEndpoint(h.directory(), h.serverName(), HttpMethod.GET));
        router.register(new PublicRoomsEndpoint(h.directory(), h.serverName(), HttpMethod.POST));
        // ---- end rooms ----
        // ---- to-device messages and server-side key backups ----
        router.register(new SendToDeviceEndpoint(h.toDevice()));
        router.register(new CreateBackupVersionEndpoint(h.keyBackups()));
        router.register(new GetLatestBackupVersionEndpoint(h.keyBackups()));
        router.register(new GetBackupVersionEndpoint(h.keyBackups()));
        router.register(new UpdateBackupVersionEndpoint(h.keyBackups()));
        router.register(new DeleteBackupVersionEndpoint(h.keyBackups()));
        for (RoomKeysLevel level : RoomKeysLevel.values()) {
            router.register(new PutRoomKeysEndpoint(h.keyBackups(), level));
            router.register(new GetRoomKeysEndpoint(h.keyBackups(), level));
            router.register(new DeleteRoomKeysEndpoint(h.keyBackups(), level));
        }
        // ---- end to-device and key backups ----

        // ---- media repository ----
        for (MediaAccess access : MediaAccess.values()) {
            router.register(new DownloadEndpoint(h.media(), access, false));
            router.register(new DownloadEndpoint(h.media(), access, true));
            router.register(new ThumbnailEndpoint(h.media(), h.thumbnails(), access));
            router.register(new MediaConfigEndpoint(h.media(), access));
            h.urlPreviews().ifPresent(previews -> router.register(new PreviewUrlEndpoint(previews, access)));
        }
        router.register(new UploadEndpoint(h.media()));
        router.register(new CreateMediaEndpoint(h.media()));
        router.register(new UploadToMxcEndpoint(h.media()));
        // ---- end media repository ----
        // ---- end-to-end encryption keys ----
        router.register(new UploadKeysEndpoint(h.keys()));
        router.register(new QueryKeysEndpoint(h.keys()));
        router.register(new ClaimKeysEndpoint(h.keys()));
        router.register(new KeyChangesEndpoint(h.deviceLists()));
        router.register(new UploadCrossSigningKeysEndpoint(h.crossSigning(), h.uia()));
        router.register(new UploadSignaturesEndpoint(h.crossSigning()));
        // ---- end end-to-end encryption keys ----
        // ---- presence, user directory, relations and threads, VoIP, OpenID, reports, upgrades ----
        router.register(new SetPresenceEndpoint(h.presence()));
        router.register(new GetPresenceEndpoint(h.presence(), clock));
        router.register(new UserDirectorySearchEndpoint(h.userDirectory()));
        for (RelationsEndpoint.Filter filter : RelationsEndpoint.Filter.values()) {
            router.register(new RelationsEndpoint(h.relations(), h.clientEvents(), filter));
        }
        router.register(new ThreadsEndpoint(h.relations(), h.clientEvents()));
        router.register(new TurnServerEndpoint());
        router.register(new ProtocolsEndpoint());
        router.register(new RequestOpenIdTokenEndpoint(h.openIdTokens(), h.serverName()));
        // the one federation endpoint served so far: widgets' backends check OpenID tokens with it
        router.register(new OpenIdUserInfoEndpoint(h.openIdTokens()));
        router.register(new ReportEventEndpoint(h.reports()));
        router.register(new ReportRoomEndpoint(h.reports()));
        router.register(new UpgradeRoomEndpoint(h.upgrades()));
        // ---- end presence, user directory, relations and more ----
    }
}
