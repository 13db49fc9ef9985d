package dev.myelin.server.api.admin.device;

import dev.myelin.storage.account.Device;
import java.time.Instant;
import org.jspecify.annotations.Nullable;

/** A user's device as Synapse's admin API shows it. */
public record AdminDevice(
        String deviceId,
        @Nullable String displayName,
        @Nullable String lastSeenIp,
        @Nullable Long lastSeenTs,
        @Nullable String lastSeenUserAgent,
        String userId) {

    static AdminDevice of(Device device) {
        return new AdminDevice(
                device.deviceId().value(),
                device.displayName().orElse(null),
                device.lastSeenIp().orElse(null),
                device.lastSeenAt().map(Instant::toEpochMilli).orElse(null),
                device.lastSeenUserAgent().orElse(null),
                device.user().toString());
    }
}
