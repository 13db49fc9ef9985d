package dev.myelin.server.api.client.device;

import dev.myelin.storage.account.Device;
import org.jspecify.annotations.Nullable;

/**
 * One device as {@code GET /devices} and {@code GET /devices/{deviceId}} describe it.
 *
 * @param deviceId the device id
 * @param displayName the name the user gave it
 * @param lastSeenIp the address it was last used from
 * @param lastSeenTs when it was last used, in milliseconds since the epoch
 * @see <a href="https://spec.matrix.org/v1.19/client-server-api/#get_matrixclientv3devices">spec</a>
 */
public record DeviceInfo(
        String deviceId,
        @Nullable String displayName,
        @Nullable String lastSeenIp,
        @Nullable Long lastSeenTs) {

    /** The description of a stored device. */
    public static DeviceInfo of(Device device) {
        return new DeviceInfo(
                device.deviceId().value(),
                device.displayName().orElse(null),
                device.lastSeenIp().orElse(null),
                device.lastSeenAt().map(at -> at.toEpochMilli()).orElse(null));
    }
}
