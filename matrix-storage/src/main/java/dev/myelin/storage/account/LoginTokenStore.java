package dev.myelin.storage.account;

import static dev.myelin.storage.schema.Tables.LOGIN_TOKENS;

import dev.myelin.core.id.UserId;
import dev.myelin.storage.Database;
import java.util.Optional;

/**
 * Short-lived login tokens ({@code m.login.token}) by the SHA-256 of the token, each good for one
 * login: taking a token removes it, so two logins racing with it cannot both succeed.
 *
 * @see <a href="https://spec.matrix.org/v1.19/client-server-api/#token-based">Token-based login</a>
 */
public final class LoginTokenStore {
    private final Database db;

    public LoginTokenStore(Database db) {
        this.db = db;
    }

    /** Stores {@code token} for {@code user} until {@code expiresAtMs}, and forgets tokens expired at {@code nowMs}. */
    public void store(String token, UserId user, long expiresAtMs, long nowMs) {
        db.write(tx -> {
            tx.dsl()
                    .deleteFrom(LOGIN_TOKENS)
                    .where(LOGIN_TOKENS.EXPIRY_TS.le(nowMs))
                    .execute();
            return tx.dsl()
                    .insertInto(LOGIN_TOKENS)
                    .set(LOGIN_TOKENS.TOKEN_HASH, AccessTokenStore.hash(token))
                    .set(LOGIN_TOKENS.USER_ID, user.toString())
                    .set(LOGIN_TOKENS.EXPIRY_TS, expiresAtMs)
                    .execute();
        });
    }

    /**
     * Removes {@code token} and answers its user, if it was known and still valid at {@code nowMs};
     * a second call with the same token answers nothing.
     */
    public Optional<UserId> take(String token, long nowMs) {
        String hash = AccessTokenStore.hash(token);
        return db.write(tx -> {
                    Optional<String> user = tx.dsl()
                            .select(LOGIN_TOKENS.USER_ID)
                            .from(LOGIN_TOKENS)
                            .where(LOGIN_TOKENS.TOKEN_HASH.eq(hash), LOGIN_TOKENS.EXPIRY_TS.gt(nowMs))
                            .fetchOptional(LOGIN_TOKENS.USER_ID);
                    int removed = tx.dsl()
                            .deleteFrom(LOGIN_TOKENS)
                            .where(LOGIN_TOKENS.TOKEN_HASH.eq(hash))
                            .execute();
                    return removed == 1 ? user : Optional.<String>empty();
                })
                .map(UserId::parse);
    }
}
