package dev.myelin.storage.account;

import static dev.myelin.storage.schema.Tables.REGISTRATION_TOKENS;

import dev.myelin.storage.Database;
import dev.myelin.storage.schema.tables.records.RegistrationTokensRecord;
import java.util.List;
import java.util.Optional;
import org.jooq.Condition;
import org.jooq.impl.DSL;
import org.jspecify.annotations.Nullable;

/** The registration tokens: what the admin API manages and the registration stage uses up. */
public final class RegistrationTokenStore {
    private final Database db;

    public RegistrationTokenStore(Database db) {
        this.db = db;
    }

    /** Every token, by token. */
    public List<RegistrationToken> all() {
        return db.read(tx -> tx.dsl()
                .selectFrom(REGISTRATION_TOKENS)
                .orderBy(REGISTRATION_TOKENS.TOKEN)
                .fetch(RegistrationTokenStore::toToken));
    }

    public Optional<RegistrationToken> get(String token) {
        return db.read(tx -> tx.dsl()
                .selectFrom(REGISTRATION_TOKENS)
                .where(REGISTRATION_TOKENS.TOKEN.eq(token))
                .fetchOptional(RegistrationTokenStore::toToken));
    }

    /** Stores a new token; false if it exists. */
    public boolean create(String token, @Nullable Integer usesAllowed, @Nullable Long expiryTime) {
        return db.write(tx -> tx.dsl()
                        .insertInto(REGISTRATION_TOKENS)
                        .set(REGISTRATION_TOKENS.TOKEN, token)
                        .set(REGISTRATION_TOKENS.USES_ALLOWED, usesAllowed)
                        .set(REGISTRATION_TOKENS.PENDING, 0)
                        .set(REGISTRATION_TOKENS.COMPLETED, 0)
                        .set(REGISTRATION_TOKENS.EXPIRY_TIME, expiryTime)
                        .onConflictDoNothing()
                        .execute()
                == 1);
    }

    /**
     * Changes what is given ({@code usesAllowed} or {@code expiryTime} present, its value null
     * for no limit); the token after, empty if it does not exist.
     */
    public Optional<RegistrationToken> update(
            String token, Optional<Optional<Integer>> usesAllowed, Optional<Optional<Long>> expiryTime) {
        return db.write(tx -> {
            if (usesAllowed.isPresent() || expiryTime.isPresent()) {
                var update = tx.dsl().update(REGISTRATION_TOKENS).set(REGISTRATION_TOKENS.TOKEN, token);
                if (usesAllowed.isPresent()) {
                    update = update.set(
                            REGISTRATION_TOKENS.USES_ALLOWED, usesAllowed.get().orElse(null));
                }
                if (expiryTime.isPresent()) {
                    update = update.set(
                            REGISTRATION_TOKENS.EXPIRY_TIME, expiryTime.get().orElse(null));
                }
                update.where(REGISTRATION_TOKENS.TOKEN.eq(token)).execute();
            }
            return tx.dsl()
                    .selectFrom(REGISTRATION_TOKENS)
                    .where(REGISTRATION_TOKENS.TOKEN.eq(token))
                    .fetchOptional(RegistrationTokenStore::toToken);
        });
    }

    /** Deletes a token; false if it did not exist. */
    public boolean delete(String token) {
        return db.write(tx -> tx.dsl()
                        .deleteFrom(REGISTRATION_TOKENS)
                        .where(REGISTRATION_TOKENS.TOKEN.eq(token))
                        .execute()
                == 1);
    }

    /**
     * Takes one use of {@code token} for a registration in progress, if it is valid at {@code
     * nowMs}: checked and counted in one statement, so two registrations cannot share the last use.
     */
    public boolean reserve(String token, long nowMs) {
        return db.write(tx -> tx.dsl()
                        .update(REGISTRATION_TOKENS)
                        .set(REGISTRATION_TOKENS.PENDING, REGISTRATION_TOKENS.PENDING.plus(1))
                        .where(REGISTRATION_TOKENS.TOKEN.eq(token), valid(nowMs))
                        .execute()
                == 1);
    }

    /** A registration that reserved a use of {@code token} created its account. */
    public void complete(String token) {
        db.update(tx -> tx.dsl()
                .update(REGISTRATION_TOKENS)
                .set(REGISTRATION_TOKENS.PENDING, DSL.greatest(REGISTRATION_TOKENS.PENDING.minus(1), DSL.inline(0)))
                .set(REGISTRATION_TOKENS.COMPLETED, REGISTRATION_TOKENS.COMPLETED.plus(1))
                .where(REGISTRATION_TOKENS.TOKEN.eq(token))
                .execute());
    }

    /** A registration that reserved a use of {@code token} was abandoned: the use is free again. */
    public void release(String token) {
        db.update(tx -> tx.dsl()
                .update(REGISTRATION_TOKENS)
                .set(REGISTRATION_TOKENS.PENDING, REGISTRATION_TOKENS.PENDING.minus(1))
                .where(REGISTRATION_TOKENS.TOKEN.eq(token), REGISTRATION_TOKENS.PENDING.gt(0))
                .execute());
    }

    private static Condition valid(long nowMs) {
        return REGISTRATION_TOKENS
                .EXPIRY_TIME
                .isNull()
                .or(REGISTRATION_TOKENS.EXPIRY_TIME.gt(nowMs))
                .and(REGISTRATION_TOKENS
                        .USES_ALLOWED
                        .isNull()
                        .or(REGISTRATION_TOKENS
                                .PENDING
                                .plus(REGISTRATION_TOKENS.COMPLETED)
                                .lt(REGISTRATION_TOKENS.USES_ALLOWED)));
    }

    private static RegistrationToken toToken(RegistrationTokensRecord r) {
        return new RegistrationToken(
                r.getToken(), r.getUsesAllowed(), r.getPending(), r.getCompleted(), r.getExpiryTime());
    }
}
