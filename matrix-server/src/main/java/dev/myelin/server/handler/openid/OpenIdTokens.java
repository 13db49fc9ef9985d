package dev.myelin.server.handler.openid;

import dev.myelin.core.id.UserId;
import dev.myelin.core.time.Clock;
import dev.myelin.storage.account.OpenIdTokenStore;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Base64;
import java.util.Optional;

/**
 * OpenID tokens that let a third party (a widget, an integration manager) learn who a user is by
 * asking this server. Stored in the database (only their hashes), so a token handed to a widget
 * stays valid for its hour across a restart, and whichever process answers the check knows it.
 * Expiry is measured on the injected {@link Clock}.
 *
 * @see <a href="https://spec.matrix.org/v1.19/client-server-api/#openid">OpenID</a>
 */
public final class OpenIdTokens {
    public static final Duration LIFETIME = Duration.ofHours(1);

    private final Clock clock;
    private final OpenIdTokenStore store;
    private final SecureRandom random = new SecureRandom();

    /** A token just issued and how long it is valid. */
    public record Issued(String token, Duration expiresIn) {}

    public OpenIdTokens(Clock clock, OpenIdTokenStore store) {
        this.clock = clock;
        this.store = store;
    }

    public Issued issue(UserId user) {
        byte[] bytes = new byte[24];
        random.nextBytes(bytes);
        String token = Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
        long now = clock.nowMillis();
        store.store(token, user, now + LIFETIME.toMillis(), now);
        return new Issued(token, LIFETIME);
    }

    /** The user a token was issued to, if it is known and not expired. */
    public Optional<UserId> userFor(String token) {
        return store.userFor(token, clock.nowMillis());
    }
}
