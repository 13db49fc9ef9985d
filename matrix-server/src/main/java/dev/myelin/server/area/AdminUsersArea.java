package dev.myelin.server.area;

import dev.myelin.http.ratelimit.RateLimitOverrides;
import dev.myelin.http.server.ClientRequestFilter;
import dev.myelin.http.server.HttpMethod;
import dev.myelin.http.server.Router;
import dev.myelin.server.api.admin.LoginAsUserEndpoint;
import dev.myelin.server.api.admin.PutUserEndpoint;
import dev.myelin.server.api.admin.ResetPasswordEndpoint;
import dev.myelin.server.api.admin.UserJoinedRoomsEndpoint;
import dev.myelin.server.api.admin.device.DeleteUserDeviceEndpoint;
import dev.myelin.server.api.admin.device.DeleteUserDevicesEndpoint;
import dev.myelin.server.api.admin.device.GetUserDeviceEndpoint;
import dev.myelin.server.api.admin.device.ListUserDevicesEndpoint;
import dev.myelin.server.api.admin.device.UpdateUserDeviceEndpoint;
import dev.myelin.server.api.admin.moderation.AccountFlagEndpoint;
import dev.myelin.server.api.admin.moderation.RateLimitOverrideEndpoint;
import dev.myelin.server.api.admin.moderation.ShadowBanEndpoint;
import dev.myelin.server.api.admin.moderation.SuspendUserEndpoint;
import dev.myelin.server.api.admin.report.EventReportEndpoint;
import dev.myelin.server.api.admin.report.ListEventReportsEndpoint;
import dev.myelin.server.handler.account.AccountHandler;
import dev.myelin.server.handler.account.AccountLifecycle;
import dev.myelin.server.handler.admin.AccountEditor;
import dev.myelin.server.handler.admin.AccountModerationFilter;
import dev.myelin.server.handler.admin.AdminReports;
import dev.myelin.server.handler.admin.AdminUsers;
import dev.myelin.server.handler.admin.UserRateLimitOverrides;
import dev.myelin.server.handler.device.DeviceHandler;
import dev.myelin.server.handler.profile.ProfileHandler;
import dev.myelin.storage.account.ProfileStore;
import dev.myelin.storage.account.RateLimitOverrideStore;
import dev.myelin.storage.room.ReportStore;
import java.util.List;

/**
 * The user part of Synapse's admin API beyond listing and reading accounts: creating and
 * modifying accounts, password resets, a user's devices and rooms, logging in as a user,
 * shadow-bans, suspensions and locks (with the Client-Server API's admin endpoints for the last
 * two), per-user rate limits, and users' reports of events.
 */
public final class AdminUsersArea {
    private final AccountModerationFilter moderation;
    private final UserRateLimitOverrides rateLimitOverrides;

    private AdminUsersArea(AccountModerationFilter moderation, UserRateLimitOverrides rateLimitOverrides) {
        this.moderation = moderation;
        this.rateLimitOverrides = rateLimitOverrides;
    }

    /** What locks, suspensions and shadow-bans do to the users' requests; the HTTP server applies it. */
    public ClientRequestFilter moderation() {
        return moderation;
    }

    /** The admins' per-user rate limits; the HTTP server's rate limiter applies them. */
    public RateLimitOverrides rateLimitOverrides() {
        return rateLimitOverrides;
    }

    /** @param handlers the account handlers {@link AccountsArea} built, shared with the admin API */
    public static AdminUsersArea install(
            Router router,
            Core core,
            RoomCore rooms,
            ProfileStore profileStore,
            ProfileHandler profiles,
            AccountsArea.Handlers handlers) {
        AccountHandler accounts = handlers.accounts();
        DeviceHandler devices = handlers.devices();
        AccountLifecycle lifecycle = handlers.lifecycle();
        AdminUsers admin = new AdminUsers(core.users(), profileStore, core.serverName());
        AccountEditor editor = new AccountEditor(core.users(), accounts, lifecycle, profiles);
        router.register(new PutUserEndpoint(admin, editor));
        router.register(new ResetPasswordEndpoint(admin, editor));
        router.register(new ListUserDevicesEndpoint(admin, devices));
        router.register(new GetUserDeviceEndpoint(admin, devices));
        router.register(new UpdateUserDeviceEndpoint(admin, devices));
        router.register(new DeleteUserDeviceEndpoint(admin, devices));
        router.register(new DeleteUserDevicesEndpoint(admin, devices));
        router.register(new UserJoinedRoomsEndpoint(admin, rooms.state()));
        router.register(new LoginAsUserEndpoint(admin, core.tokens(), core.clock()));
        router.register(new ShadowBanEndpoint(admin, core.users(), true));
        router.register(new ShadowBanEndpoint(admin, core.users(), false));
        router.register(new SuspendUserEndpoint(admin, core.users()));
        for (AccountFlagEndpoint.Flag flag : AccountFlagEndpoint.Flag.values()) {
            router.register(new AccountFlagEndpoint(admin, core.users(), flag, false));
            router.register(new AccountFlagEndpoint(admin, core.users(), flag, true));
        }
        AdminReports reports = new AdminReports(new ReportStore(core.database()), rooms.roomState(), rooms.events());
        router.register(new ListEventReportsEndpoint(admin, reports));
        router.register(new EventReportEndpoint(admin, reports, false));
        router.register(new EventReportEndpoint(admin, reports, true));
        RateLimitOverrideStore overrides = new RateLimitOverrideStore(core.database());
        for (HttpMethod method : List.of(HttpMethod.GET, HttpMethod.POST, HttpMethod.DELETE)) {
            router.register(new RateLimitOverrideEndpoint(admin, overrides, method));
        }
        return new AdminUsersArea(new AccountModerationFilter(core.users()), new UserRateLimitOverrides(overrides));
    }
}
