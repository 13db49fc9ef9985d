package dev.myelin.storage.account;

import dev.myelin.core.id.DeviceId;
import dev.myelin.core.id.UserId;
import java.time.Instant;
import java.util.Optional;

/** Whom a valid access token belongs to, and until when it is valid (empty: until deleted). */
public record TokenInfo(UserId user, Optional<DeviceId> device, Optional<Instant> validUntil) {}
