package dev.myelin.storage.account;

import static dev.myelin.storage.schema.Tables.RATELIMIT_OVERRIDE;

import dev.myelin.core.id.UserId;
import dev.myelin.storage.Database;
import dev.myelin.storage.RowCache;
import java.util.Optional;

/**
 * Per-user rate-limit overrides set by server admins (Synapse's {@code override_ratelimit}).
 *
 * <p>Every rate-limited request of a user asks for its override, so they are cached under {@link
 * #CACHE}, a user without one included; each write invalidates its user once committed.
 */
public final class RateLimitOverrideStore {
    /** The name the cache registers under; its keys are user ids. */
    public static final String CACHE = "ratelimit-overrides";

    /** An override: {@code messagesPerSecond} 0 exempts the user from rate limits altogether. */
    public record Override(long messagesPerSecond, long burstCount) {
        /** Whether the user is not rate-limited at all. */
        public boolean exempt() {
            return messagesPerSecond == 0;
        }
    }

    /** What the cache holds for a user: their override, or none. */
    private record Entry(Optional<Override> override) {}

    private final Database db;
    private final RowCache<Entry> cache;

    public RateLimitOverrideStore(Database db) {
        this.db = db;
        this.cache = new RowCache<>(CACHE, db, 100_000);
    }

    /** The user's override, if an admin set one. */
    public Optional<Override> get(UserId user) {
        Entry entry = cache.get(
                user.toString(),
                id -> new Entry(db.read(tx -> tx.dsl()
                        .selectFrom(RATELIMIT_OVERRIDE)
                        .where(RATELIMIT_OVERRIDE.USER_ID.eq(id))
                        .fetchOptional(r -> new Override(r.getMessagesPerSecond(), r.getBurstCount())))));
        return entry == null ? Optional.empty() : entry.override();
    }

    /** Sets (or replaces) the user's override. */
    public void set(UserId user, Override override) {
        db.write(tx -> {
            cache.invalidateAfterCommit(tx, user.toString());
            tx.dsl()
                    .deleteFrom(RATELIMIT_OVERRIDE)
                    .where(RATELIMIT_OVERRIDE.USER_ID.eq(user.toString()))
                    .execute();
            return tx.dsl()
                    .insertInto(RATELIMIT_OVERRIDE)
                    .set(RATELIMIT_OVERRIDE.USER_ID, user.toString())
                    .set(RATELIMIT_OVERRIDE.MESSAGES_PER_SECOND, override.messagesPerSecond())
                    .set(RATELIMIT_OVERRIDE.BURST_COUNT, override.burstCount())
                    .execute();
        });
    }

    /** Removes the user's override: the configured limits apply again. */
    public void delete(UserId user) {
        db.write(tx -> {
            cache.invalidateAfterCommit(tx, user.toString());
            return tx.dsl()
                    .deleteFrom(RATELIMIT_OVERRIDE)
                    .where(RATELIMIT_OVERRIDE.USER_ID.eq(user.toString()))
                    .execute();
        });
    }
}
