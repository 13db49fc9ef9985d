package dev.myelin.storage.account;

import dev.myelin.core.id.DeviceId;
import dev.myelin.core.id.UserId;
import java.time.Instant;
import java.util.Optional;

/** A device of a user, as listed by {@code GET /_matrix/client/v3/devices}. */
public record Device(
        UserId user,
        DeviceId deviceId,
        Optional<String> displayName,
        Optional<String> lastSeenIp,
        Optional<String> lastSeenUserAgent,
        Optional<Instant> lastSeenAt) {}
