package dev.myelin.storage.account;

import dev.myelin.core.id.UserId;
import java.time.Instant;
import java.util.Optional;

/**
 * A local account as stored: no password hash leaves the store.
 *
 * @param shadowBanned whether the user's sends only seem to succeed (admin API shadow-ban)
 * @param locked whether every request but logout is refused with {@code M_USER_LOCKED}
 * @param suspended whether the account is read-only ({@code M_USER_SUSPENDED})
 * @param userType Synapse's user type ({@code bot}, {@code support}), absent for a regular user
 * @param guest whether this is a guest account, registered with {@code kind=guest} and not yet upgraded
 */
public record UserAccount(
        UserId userId,
        Instant createdAt,
        boolean admin,
        boolean deactivated,
        boolean hasPassword,
        boolean shadowBanned,
        boolean locked,
        boolean suspended,
        Optional<String> userType,
        boolean guest) {

    /** A regular account under no moderation. */
    public UserAccount(UserId userId, Instant createdAt, boolean admin, boolean deactivated, boolean hasPassword) {
        this(userId, createdAt, admin, deactivated, hasPassword, false, false, false, Optional.empty(), false);
    }
}
