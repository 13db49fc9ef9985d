package dev.myelin.server.handler.device;

import dev.myelin.core.id.DeviceId;
import dev.myelin.core.id.UserId;
import dev.myelin.http.error.MatrixException;
import dev.myelin.server.handler.RequestChecks;
import dev.myelin.server.handler.auth.TokenAuthenticator;
import dev.myelin.server.handler.keys.DeviceLists;
import dev.myelin.storage.account.AccessTokenStore;
import dev.myelin.storage.account.Device;
import dev.myelin.storage.account.DeviceStore;
import dev.myelin.storage.device.ToDeviceStore;
import dev.myelin.storage.push.PusherStore;
import java.util.Collection;
import java.util.List;
import java.util.Optional;

/**
 * A user's devices: listing, renaming and deleting them. Deleting a device always revokes its
 * access and refresh tokens first, so no token outlives the device it was issued to.
 *
 * @see <a href="https://spec.matrix.org/v1.19/client-server-api/#device-management">Device management</a>
 */
public final class DeviceHandler {
    /** The longest device display name accepted. */
    public static final int MAX_DISPLAY_NAME_LENGTH = 100;

    private final DeviceStore devices;
    private final AccessTokenStore tokens;
    private final TokenAuthenticator authenticator;
    private final ToDeviceStore inbox;
    private final DeviceLists deviceLists;
    private final PusherStore pushers;

    public DeviceHandler(
            DeviceStore devices,
            AccessTokenStore tokens,
            TokenAuthenticator authenticator,
            ToDeviceStore inbox,
            DeviceLists deviceLists,
            PusherStore pushers) {
        this.devices = devices;
        this.tokens = tokens;
        this.authenticator = authenticator;
        this.inbox = inbox;
        this.deviceLists = deviceLists;
        this.pushers = pushers;
    }

    public List<Device> list(UserId user) {
        return devices.list(user);
    }

    /** One device of the user; 404 {@code M_NOT_FOUND} when the user has no such device. */
    public Device get(UserId user, DeviceId device) {
        return devices.get(user, device).orElseThrow(() -> MatrixException.notFound("Device not found"));
    }

    /** Renames a device (an absent name leaves it as it is); 404 when the user has no such device. */
    public void update(UserId user, DeviceId device, Optional<String> displayName) {
        get(user, device);
        if (displayName.isEmpty()) {
            return;
        }
        if (displayName.get().length() > MAX_DISPLAY_NAME_LENGTH) {
            throw MatrixException.invalidParam(
                    "display_name", "must be at most " + MAX_DISPLAY_NAME_LENGTH + " characters");
        }
        RequestChecks.storableText(displayName.get(), "display_name");
        devices.setDisplayName(user, device, displayName.orElse(null));
        deviceLists.deviceRenamed(user, device);
    }

    /**
     * Deletes devices with their tokens, keys, to-device inboxes and pushers; devices already gone
     * are skipped.
     */
    public void delete(UserId user, Collection<DeviceId> toDelete) {
        for (DeviceId device : toDelete) {
            tokens.deleteForDevice(user, device);
            if (devices.delete(user, device)) {
                // its keys go with it, and users sharing a room learn that the device list changed
                deviceLists.deviceDeleted(user, device);
            }
            authenticator.forgetDevice(user, device);
            inbox.deleteInbox(user, device);
            pushers.deleteForDevice(user, device);
        }
    }

    /** Deletes every device of the user except {@code keep}, with their tokens. */
    public void deleteAllExcept(UserId user, Optional<DeviceId> keep) {
        delete(
                user,
                devices.list(user).stream()
                        .map(Device::deviceId)
                        .filter(d -> keep.isEmpty() || !keep.get().equals(d))
                        .toList());
    }
}
