package dev.myelin.server.area;

import dev.myelin.http.server.Router;
import dev.myelin.server.api.admin.DeactivateUserEndpoint;
import dev.myelin.server.api.admin.GetUserEndpoint;
import dev.myelin.server.api.admin.ListUsersEndpoint;
import dev.myelin.server.api.admin.SharedSecretRegisterEndpoints;
import dev.myelin.server.api.client.account.ChangePasswordEndpoint;
import dev.myelin.server.api.client.account.DeactivateEndpoint;
import dev.myelin.server.api.client.account.GetLoginTokenEndpoint;
import dev.myelin.server.api.client.account.LoginEndpoint;
import dev.myelin.server.api.client.account.LoginFlowsEndpoint;
import dev.myelin.server.api.client.account.LogoutEndpoint;
import dev.myelin.server.api.client.account.RefreshEndpoint;
import dev.myelin.server.api.client.account.RegisterAvailableEndpoint;
import dev.myelin.server.api.client.account.RegisterEndpoint;
import dev.myelin.server.api.client.account.WhoamiEndpoint;
import dev.myelin.server.api.client.admin.WhoisEndpoint;
import dev.myelin.server.api.client.device.DeleteDeviceEndpoint;
import dev.myelin.server.api.client.device.DeleteDevicesEndpoint;
import dev.myelin.server.api.client.device.GetDeviceEndpoint;
import dev.myelin.server.api.client.device.ListDevicesEndpoint;
import dev.myelin.server.api.client.device.UpdateDeviceEndpoint;
import dev.myelin.server.handler.account.AccountHandler;
import dev.myelin.server.handler.account.AccountLifecycle;
import dev.myelin.server.handler.admin.AdminUsers;
import dev.myelin.server.handler.auth.LoginTokens;
import dev.myelin.server.handler.auth.RegistrationTokens;
import dev.myelin.server.handler.device.DeviceHandler;
import dev.myelin.server.handler.guest.GuestRegistration;
import dev.myelin.server.handler.keys.DeviceLists;
import dev.myelin.server.handler.threepid.EmailIdentityStage;
import dev.myelin.storage.account.ErasedUserStore;
import dev.myelin.storage.account.LoginTokenStore;
import dev.myelin.storage.account.ProfileStore;
import dev.myelin.storage.device.ToDeviceStore;
import dev.myelin.storage.push.PusherStore;
import java.security.SecureRandom;
import java.util.Optional;

/**
 * Accounts and their devices: registration (open and shared-secret), login, token refresh and
 * logout, device management, password changes and deactivation.
 */
public final class AccountsArea {
    private AccountsArea() {}

    /** The account handlers it built, which the admin API works through as well. */
    public record Handlers(AccountHandler accounts, DeviceHandler devices, AccountLifecycle lifecycle) {}

    /**
     * @param enableRegistration whether {@code /register} is open
     * @param registrationSharedSecret the secret of admin registration, if it is enabled
     * @param requiredTokens the registration token stage, when registration requires a token
     * @param allowGuestAccess {@code allow_guest_access}: whether guest accounts can be registered
     * @param emailStage the {@code m.login.email.identity} stage of registration and password reset
     * @param registrationRequiresEmail whether {@code registrations_require_3pid} lists email
     */
    public static Handlers install(
            Router router,
            Core core,
            RoomCore rooms,
            ProfileStore profiles,
            DeviceLists deviceLists,
            ToDeviceStore inbox,
            boolean enableRegistration,
            Optional<String> registrationSharedSecret,
            Optional<RegistrationTokens> requiredTokens,
            boolean allowGuestAccess,
            Optional<EmailIdentityStage> emailStage,
            boolean registrationRequiresEmail) {
        AccountHandler accounts = new AccountHandler(
                core.serverName(),
                core.users(),
                core.devices(),
                core.tokens(),
                profiles,
                deviceLists,
                core.passwords());
        DeviceHandler devices = new DeviceHandler(
                core.devices(),
                core.tokens(),
                core.authenticator(),
                inbox,
                deviceLists,
                new PusherStore(core.database(), core.clock()));
        AccountLifecycle lifecycle = new AccountLifecycle(
                core.users(),
                core.tokens(),
                rooms.state(),
                devices,
                rooms.creator(),
                new ErasedUserStore(core.database()));
        router.register(new RegisterEndpoint(
                accounts,
                core.uia(),
                core.clock(),
                enableRegistration,
                core.appServices(),
                requiredTokens,
                new GuestRegistration(accounts, core.users(), core.authenticator(), allowGuestAccess),
                emailStage,
                registrationRequiresEmail));
        router.register(new RegisterAvailableEndpoint(accounts, core.appServices()));
        router.register(new LoginFlowsEndpoint());
        LoginTokens loginTokens =
                new LoginTokens(new LoginTokenStore(core.database()), core.clock(), new SecureRandom());
        router.register(new LoginEndpoint(accounts, core.uia(), core.clock(), core.appServices(), loginTokens));
        router.register(new GetLoginTokenEndpoint(loginTokens, core.uia()));
        router.register(new RefreshEndpoint(core.tokens(), core.clock()));
        router.register(new WhoamiEndpoint());
        router.register(new LogoutEndpoint(core.tokens(), devices, false));
        router.register(new LogoutEndpoint(core.tokens(), devices, true));
        new SharedSecretRegisterEndpoints(accounts, core.clock(), registrationSharedSecret)
                .endpoints()
                .forEach(router::register);
        AdminUsers adminUsers = new AdminUsers(core.users(), profiles, core.serverName());
        router.register(new ListUsersEndpoint(adminUsers));
        router.register(new GetUserEndpoint(adminUsers));
        router.register(new DeactivateUserEndpoint(adminUsers, lifecycle));

        router.register(new ListDevicesEndpoint(devices));
        router.register(new GetDeviceEndpoint(devices));
        router.register(new UpdateDeviceEndpoint(devices));
        router.register(new DeleteDeviceEndpoint(devices, core.uia()));
        router.register(new DeleteDevicesEndpoint(devices, core.uia()));
        router.register(new ChangePasswordEndpoint(lifecycle, core.uia(), emailStage));
        router.register(new DeactivateEndpoint(lifecycle, core.uia()));
        router.register(new WhoisEndpoint(core.users(), core.devices(), core.serverName()));
        return new Handlers(accounts, devices, lifecycle);
    }
}
