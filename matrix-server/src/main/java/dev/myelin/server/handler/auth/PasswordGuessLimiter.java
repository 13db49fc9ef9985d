package dev.myelin.server.handler.auth;

import dev.myelin.core.id.UserId;
import dev.myelin.http.error.MatrixException;
import dev.myelin.http.ratelimit.RateLimit;
import dev.myelin.http.ratelimit.RateLimiter;
import dev.myelin.storage.account.UserStore;

/**
 * Checks account passwords while limiting wrong guesses per account ({@code
 * rc_login.failed_attempts}): every place that takes a password, {@code /login} and the {@code
 * m.login.password} stage of user-interactive auth alike, counts its failures in the same bucket
 * of the account, so a guesser gains nothing by switching endpoints. Once the bucket is empty, a
 * guess is answered 429 {@code M_LIMIT_EXCEEDED} without the password being looked at, so even the
 * right password waits until the bucket refills.
 *
 * @see <a href="https://spec.matrix.org/v1.19/client-server-api/#rate-limiting">Rate limiting</a>
 */
public final class PasswordGuessLimiter {
    private static final String ACTION = "failed_attempts";

    private final UserStore users;
    private final RateLimiter limiter;
    private final RateLimit limit;

    /**
     * @param users whose password hashes are checked
     * @param limiter the buckets, on the server's clock
     * @param limit how many wrong passwords an account takes at once, and how fast that refills
     */
    public PasswordGuessLimiter(UserStore users, RateLimiter limiter, RateLimit limit) {
        this.users = users;
        this.limiter = limiter;
        this.limit = limit;
    }

    /**
     * Whether {@code password} is the password of {@code user}; a wrong one is counted against the
     * account.
     *
     * @throws MatrixException 429 {@code M_LIMIT_EXCEEDED} with {@code retry_after_ms} when the
     *     account has had too many wrong passwords lately
     */
    public boolean matches(UserId user, String password) {
        String key = user.toString();
        // counted before the (slow) hash check and given back on success, so that concurrent
        // guesses cannot all pass an empty bucket while the first ones are still being checked
        limiter.check(ACTION, key, limit);
        boolean matches = users.checkPassword(user, password);
        if (matches) {
            limiter.refund(ACTION, key, limit);
        }
        return matches;
    }
}
