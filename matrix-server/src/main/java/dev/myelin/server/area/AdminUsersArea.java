package dev.myelin.server.area;

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
import dev.myelin.server.handler.account.AccountHandler;
import dev.myelin.server.handler.account.AccountLifecycle;
import dev.myelin.server.handler.admin.AccountEditor;
import dev.myelin.server.handler.admin.AdminUsers;
import dev.myelin.server.handler.device.DeviceHandler;
import dev.myelin.server.handler.keys.DeviceLists;
import dev.myelin.server.handler.profile.ProfileHandler;
import dev.myelin.storage.account.ErasedUserStore;
import dev.myelin.storage.account.ProfileStore;
import dev.myelin.storage.device.ToDeviceStore;
import dev.myelin.storage.push.PusherStore;

/**
 * The user part of Synapse's admin API beyond listing and reading accounts: creating and
 * modifying accounts, password resets, a user's devices and rooms, and logging in as a user.
 */
public final class AdminUsersArea {
    private AdminUsersArea() {}

    public static AdminUsersArea install(
            Router router,
            Core core,
            RoomCore rooms,
            ProfileStore profileStore,
            ProfileHandler profiles,
            DeviceLists deviceLists,
            ToDeviceStore inbox) {
        AccountHandler accounts = new AccountHandler(
                core.serverName(),
                core.users(),
                core.devices(),
                core.tokens(),
                profileStore,
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
        return new AdminUsersArea();
    }
}
