package dev.myelin.storage.account;

import dev.myelin.core.id.UserId;
import java.time.Instant;

/** A local account as stored: no password hash leaves the store. */
public record UserAccount(UserId userId, Instant createdAt, boolean admin, boolean deactivated, boolean hasPassword) {}
