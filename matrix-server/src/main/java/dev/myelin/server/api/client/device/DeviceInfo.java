package dev.myelin.server.api.client.device;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.myelin.storage.account.Device;
import org.jspecify.annotations.Nullable;

/**
 * One device as {@code GET /devices} and {@code GET /devices/{deviceId}} describe it. A name or
 * last-seen value the device does not have is written as {@code null} rather than left out, as
 * Synapse does: clients such as matrix-nio validate the response against a schema that requires
 * all four fields.
 *
 * @param deviceId the device id
 * @param displayName the name the user gave it
 * @param lastSeenIp the address it was last used from
 * @param lastSeenTs when it was last used, in milliseconds since the epoch
 * @see <a href="https://spec.matrix.org/v1.19/client-server-api/#get_matrixclientv3devices">spec</a>
 */
public record DeviceInfo(
        String deviceId,
        @JsonInclude(JsonInclude.Include.ALWAYS) @Nullable String displayName,
        @JsonInclude(JsonInclude.Include.ALWAYS) @Nullable String lastSeenIp,
        @JsonInclude(JsonInclude.Include.ALWAYS) @Nullable Long lastSeenTs) {

    /** The description of a stored device. */
    public static DeviceInfo of(Device device) {
        return new DeviceInfo(
                device.deviceId().value(),
                device.displayName().orElse(null),
                device.lastSeenIp().orElse(null),
                device.lastSeenAt().map(at -> at.toEpochMilli()).orElse(null));
    }
}
