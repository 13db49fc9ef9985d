package dev.myelin.server.handler.auth;

import dev.myelin.core.id.UserId;
import dev.myelin.core.time.Clock;
import dev.myelin.http.error.MatrixException;
import dev.myelin.storage.account.LoginTokenStore;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Base64;

/**
 * Single-use tokens with which a new device logs in as a user who is already logged in elsewhere
 * ({@code POST /login/get_token}, then {@code m.login.token}), as when signing in by QR code. A
 * token lives {@link #LIFETIME}, the spec's recommended two minutes, and works once: it is taken
 * from the database by the login that uses it.
 *
 * @see <a href="https://spec.matrix.org/v1.19/client-server-api/#post_matrixclientv1loginget_token">spec</a>
 */
public final class LoginTokens {
    /** How long a token is good for. */
    public static final Duration LIFETIME = Duration.ofMinutes(2);

    private static final Base64.Encoder ENCODER = Base64.getUrlEncoder().withoutPadding();

    private final LoginTokenStore store;
    private final Clock clock;
    private final SecureRandom random;

    public LoginTokens(LoginTokenStore store, Clock clock, SecureRandom random) {
        this.store = store;
        this.clock = clock;
        this.random = random;
    }

    /** A new token for {@code user}. */
    public String issue(UserId user) {
        byte[] bytes = new byte[32];
        random.nextBytes(bytes);
        String token = "mlt_" + ENCODER.encodeToString(bytes);
        long now = clock.nowMillis();
        store.store(token, user, now + LIFETIME.toMillis(), now);
        return token;
    }

    /**
     * The user {@code token} was issued to, which it can no longer be used for; 403
     * {@code M_FORBIDDEN} for a token that is unknown, used or expired.
     */
    public UserId redeem(String token) {
        return store.take(token, clock.nowMillis())
                .orElseThrow(() -> MatrixException.forbidden("Invalid or expired login token"));
    }
}
