package dev.myelin.storage.account;

import static dev.myelin.storage.schema.Tables.OPEN_ID_TOKENS;

import dev.myelin.core.id.UserId;
import dev.myelin.storage.Database;
import java.util.Optional;

/**
 * OpenID tokens by the SHA-256 of the token, with their user and expiry, so a token stays valid
 * for its lifetime across a restart and on every worker.
 *
 * @see <a href="https://spec.matrix.org/v1.19/client-server-api/#openid">OpenID</a>
 */
public final class OpenIdTokenStore {
    private final Database db;

    public OpenIdTokenStore(Database db) {
        this.db = db;
    }

    /** Stores {@code token} for {@code user} until {@code expiresAtMs}, and forgets tokens expired at {@code nowMs}. */
    public void store(String token, UserId user, long expiresAtMs, long nowMs) {
        db.write(tx -> {
            tx.dsl()
                    .deleteFrom(OPEN_ID_TOKENS)
                    .where(OPEN_ID_TOKENS.EXPIRES_TS.le(nowMs))
                    .execute();
            return tx.dsl()
                    .insertInto(OPEN_ID_TOKENS)
                    .set(OPEN_ID_TOKENS.TOKEN_HASH, AccessTokenStore.hash(token))
                    .set(OPEN_ID_TOKENS.USER_ID, user.toString())
                    .set(OPEN_ID_TOKENS.EXPIRES_TS, expiresAtMs)
                    .execute();
        });
    }

    /** The user {@code token} was issued to, if it is known and still valid at {@code nowMs}. */
    public Optional<UserId> userFor(String token, long nowMs) {
        return db.read(tx -> tx.dsl()
                        .select(OPEN_ID_TOKENS.USER_ID)
                        .from(OPEN_ID_TOKENS)
                        .where(
                                OPEN_ID_TOKENS.TOKEN_HASH.eq(AccessTokenStore.hash(token)),
                                OPEN_ID_TOKENS.EXPIRES_TS.gt(nowMs))
                        .fetchOptional(OPEN_ID_TOKENS.USER_ID))
                .map(UserId::parse);
    }
}
