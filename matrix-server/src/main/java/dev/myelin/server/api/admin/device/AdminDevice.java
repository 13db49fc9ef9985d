package dev.myelin.server.api.admin.device;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.myelin.storage.account.Device;
import java.time.Instant;
import org.jspecify.annotations.Nullable;

/**
 * A user's device as Synapse's admin API shows it: a name or last-seen value the device does not
 * have is {@code null}, as there, not left out.
 */
public record AdminDevice(
        String deviceId,
        @JsonInclude(JsonInclude.Include.ALWAYS) @Nullable String displayName,
        @JsonInclude(JsonInclude.Include.ALWAYS) @Nullable String lastSeenIp,
        @JsonInclude(JsonInclude.Include.ALWAYS) @Nullable Long lastSeenTs,
        @JsonInclude(JsonInclude.Include.ALWAYS) @Nullable String lastSeenUserAgent,
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
