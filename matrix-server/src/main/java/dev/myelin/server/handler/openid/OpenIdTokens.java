package dev.myelin.server.handler.openid;

import dev.myelin.core.id.UserId;
import dev.myelin.core.time.Clock;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.locks.ReentrantLock;

/**
 * OpenID tokens that let a third party (a widget, an integration manager) learn who a user is by
 * asking this server. Kept in memory: they live an hour, and a restart only makes clients ask
 * for new ones. Expiry is measured on the injected {@link Clock}.
 *
 * @see <a href="https://spec.matrix.org/v1.19/client-server-api/#openid">OpenID</a>
 */
public final class OpenIdTokens {
    public static final Duration LIFETIME = Duration.ofHours(1);

    private final Clock clock;
    private final SecureRandom random = new SecureRandom();
    private final ReentrantLock lock = new ReentrantLock();
    private final Map<String, Grant> tokens = new HashMap<>();

    private record Grant(UserId user, long expiresAtMillis) {}

    /** A token just issued and how long it is valid. */
    public record Issued(String token, Duration expiresIn) {}

    public OpenIdTokens(Clock clock) {
        this.clock = clock;
    }

    public Issued issue(UserId user) {
        byte[] bytes = new byte[24];
        random.nextBytes(bytes);
        String token = Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
        long now = clock.nowMillis();
        lock.lock();
        try {
            tokens.values().removeIf(g -> g.expiresAtMillis() <= now);
            tokens.put(token, new Grant(user, now + LIFETIME.toMillis()));
        } finally {
            lock.unlock();
        }
        return new Issued(token, LIFETIME);
    }

    /** The user a token was issued to, if it is known and not expired. */
    public Optional<UserId> userFor(String token) {
        long now = clock.nowMillis();
        lock.lock();
        try {
            Grant grant = tokens.get(token);
            if (grant == null) {
                return Optional.empty();
            }
            if (grant.expiresAtMillis() <= now) {
                tokens.remove(token);
                return Optional.empty();
            }
            return Optional.of(grant.user());
        } finally {
            lock.unlock();
        }
    }
}
