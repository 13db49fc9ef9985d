package dev.myelin.storage.account;

import static dev.myelin.storage.schema.Tables.ERASED_USERS;

import dev.myelin.core.cache.StampedCache;
import dev.myelin.core.id.UserId;
import dev.myelin.storage.Database;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The users whose account was deactivated with erasure: what they sent is served redacted to those
 * who were not in the room to see it at the time.
 *
 * @see <a href="https://spec.matrix.org/v1.19/client-server-api/#post_matrixclientv3accountdeactivate">deactivate</a>
 */
public final class ErasedUserStore {
    /** The cache name erasures are invalidated under; keys are user ids. */
    public static final String CACHE = "erased_users";

    private final Database db;
    /** Whether each user asked was erased: every read of history asks it for every sender. */
    private final StampedCache<UserId, Boolean> known;

    /**
     * Creates the store.
     *
     * @param db the database
     */
    public ErasedUserStore(Database db) {
        this.db = db;
        this.known = new StampedCache<>(CACHE, 100_000, db.invalidation(), UserId::parse);
    }

    /**
     * Records that {@code user} asked to be erased; doing it twice changes nothing.
     *
     * @param user the user
     */
    public void erase(UserId user) {
        db.write(tx -> {
            db.invalidateOnCommit(tx, CACHE, List.of(user.toString()));
            return tx.dsl()
                    .insertInto(ERASED_USERS)
                    .set(ERASED_USERS.USER_ID, user.toString())
                    .onConflictDoNothing()
                    .execute();
        });
    }

    /**
     * Which of {@code users} are erased.
     *
     * @param users the users to look up
     * @return the erased ones among them
     */
    public Set<UserId> erasedAmong(Collection<UserId> users) {
        if (users.isEmpty()) {
            return Set.of();
        }
        Set<UserId> out = new HashSet<>();
        Set<UserId> unknown = new HashSet<>();
        for (UserId user : users) {
            Boolean erased = known.getIfPresent(user);
            if (erased == null) {
                unknown.add(user);
            } else if (erased) {
                out.add(user);
            }
        }
        if (unknown.isEmpty()) {
            return out;
        }
        long stamp = known.stamp();
        List<String> ids = unknown.stream().map(UserId::toString).toList();
        Set<UserId> found = new HashSet<>();
        db.read(tx -> tx.dsl()
                        .select(ERASED_USERS.USER_ID)
                        .from(ERASED_USERS)
                        .where(ERASED_USERS.USER_ID.in(ids))
                        .fetch(ERASED_USERS.USER_ID))
                .forEach(id -> found.add(UserId.parse(id)));
        unknown.forEach(user -> known.put(user, found.contains(user), stamp));
        out.addAll(found);
        return out;
    }
}
