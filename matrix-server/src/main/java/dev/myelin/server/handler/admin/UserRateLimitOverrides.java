package dev.myelin.server.handler.admin;

import dev.myelin.core.id.UserId;
import dev.myelin.http.ratelimit.RateLimit;
import dev.myelin.http.ratelimit.RateLimitOverrides;
import dev.myelin.storage.account.RateLimitOverrideStore;
import java.util.Optional;

/**
 * The rate-limit overrides server admins set ({@code override_ratelimit}), as the HTTP server's
 * rate limiter asks for them: {@code messages_per_second} 0 exempts the user; otherwise the
 * override replaces the configured limit of every rate-limited action, as Synapse's does.
 */
public final class UserRateLimitOverrides implements RateLimitOverrides {
    private final RateLimitOverrideStore store;

    public UserRateLimitOverrides(RateLimitOverrideStore store) {
        this.store = store;
    }

    @Override
    public Optional<UserLimit> find(UserId user) {
        return store.get(user)
                .map(o -> o.exempt()
                        ? new UserLimit(Optional.empty())
                        : new UserLimit(Optional.of(new RateLimit(o.messagesPerSecond(), (int)
                                Math.max(1, Math.min(Integer.MAX_VALUE, o.burstCount()))))));
    }
}
