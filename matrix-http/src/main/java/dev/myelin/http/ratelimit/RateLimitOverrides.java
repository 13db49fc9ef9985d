package dev.myelin.http.ratelimit;

import dev.myelin.core.id.UserId;
import java.util.Optional;

/**
 * Limits server admins set for one user in place of the configured ones (Synapse's {@code
 * override_ratelimit}).
 */
@FunctionalInterface
public interface RateLimitOverrides {

    /** No user has an override. */
    RateLimitOverrides NONE = user -> Optional.empty();

    /** A user's override: {@code limit} replaces every configured limit; empty exempts the user. */
    record UserLimit(Optional<RateLimit> limit) {}

    /** The override of {@code user}, if an admin set one. */
    Optional<UserLimit> find(UserId user);
}
