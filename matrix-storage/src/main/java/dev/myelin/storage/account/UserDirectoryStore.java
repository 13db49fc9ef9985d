package dev.myelin.storage.account;

import static dev.myelin.storage.schema.Tables.PROFILES;
import static dev.myelin.storage.schema.Tables.USERS;

import dev.myelin.core.id.UserId;
import dev.myelin.storage.Database;
import java.util.List;
import java.util.Optional;

/**
 * Searches local accounts for the user directory: active (not deactivated) users whose localpart or
 * display name contains a term, ignoring case. Who may see whom is the caller's decision.
 *
 * @see <a href="https://spec.matrix.org/v1.19/client-server-api/#user-directory">User directory</a>
 */
public final class UserDirectoryStore {
    /** One match: the user with their profile. */
    public record Entry(UserId userId, Optional<String> displayName, Optional<String> avatarUrl) {}

    private final Database db;

    /**
     * Creates the store.
     *
     * @param db the database
     */
    public UserDirectoryStore(Database db) {
        this.db = db;
    }

    /**
     * Up to {@code limit} matches in user id order. {@code %} and {@code _} in the term match
     * themselves (they are escaped), so a term is always a plain substring.
     */
    public List<Entry> search(String term, int limit) {
        if (term.indexOf('\0') >= 0) {
            // no localpart or display name holds NUL, and PostgreSQL refuses it in any text value
            return List.of();
        }
        return db.read(tx -> tx.dsl()
                .select(USERS.USER_ID, PROFILES.DISPLAYNAME, PROFILES.AVATAR_URL)
                .from(USERS)
                .leftJoin(PROFILES)
                .on(PROFILES.USER_ID.eq(USERS.USER_ID))
                .where(USERS.DEACTIVATED.isFalse())
                .and(USERS.LOCALPART.containsIgnoreCase(term).or(PROFILES.DISPLAYNAME.containsIgnoreCase(term)))
                .orderBy(USERS.USER_ID)
                .limit(limit)
                .fetch(r -> new Entry(
                        UserId.parse(r.value1()), Optional.ofNullable(r.value2()), Optional.ofNullable(r.value3()))));
    }
}
