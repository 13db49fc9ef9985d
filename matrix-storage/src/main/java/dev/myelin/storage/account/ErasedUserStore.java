package dev.myelin.storage.account;

import static dev.myelin.storage.schema.Tables.ERASED_USERS;

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
    private final Database db;

    /**
     * Creates the store.
     *
     * @param db the database
     */
    public ErasedUserStore(Database db) {
        this.db = db;
    }

    /**
     * Records that {@code user} asked to be erased; doing it twice changes nothing.
     *
     * @param user the user
     */
    public void erase(UserId user) {
        db.write(tx -> tx.dsl()
                .insertInto(ERASED_USERS)
                .set(ERASED_USERS.USER_ID, user.toString())
                .onConflictDoNothing()
                .execute());
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
        List<String> ids = users.stream().map(UserId::toString).distinct().toList();
        Set<UserId> out = new HashSet<>();
        db.read(tx -> tx.dsl()
                        .select(ERASED_USERS.USER_ID)
                        .from(ERASED_USERS)
                        .where(ERASED_USERS.USER_ID.in(ids))
                        .fetch(ERASED_USERS.USER_ID))
                .forEach(id -> out.add(UserId.parse(id)));
        return out;
    }
}
