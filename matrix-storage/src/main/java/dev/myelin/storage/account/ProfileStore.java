package dev.myelin.storage.account;

import static dev.myelin.storage.schema.Tables.PROFILES;

import dev.myelin.core.id.UserId;
import dev.myelin.storage.Database;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/** Display names and avatar URLs of local users. */
public final class ProfileStore {
    private final Database db;

    /**
     * Creates the store.
     *
     * @param db the database
     */
    public ProfileStore(Database db) {
        this.db = db;
    }

    /** The profile; {@link Profile#EMPTY} if nothing was ever set. */
    public Profile get(UserId user) {
        return db.read(tx -> tx.dsl()
                        .selectFrom(PROFILES)
                        .where(PROFILES.USER_ID.eq(user.toString()))
                        .fetchOptional())
                .map(r -> new Profile(Optional.ofNullable(r.getDisplayname()), Optional.ofNullable(r.getAvatarUrl())))
                .orElse(Profile.EMPTY);
    }

    /**
     * Sets or clears a user's display name.
     *
     * @param user the user
     * @param displayName the new name, or null to clear it
     */
    public void setDisplayName(UserId user, @Nullable String displayName) {
        String value = displayName;
        db.update(tx -> tx.dsl()
                .insertInto(PROFILES)
                .set(PROFILES.USER_ID, user.toString())
                .set(PROFILES.DISPLAYNAME, value)
                .onConflict(PROFILES.USER_ID)
                .doUpdate()
                .set(PROFILES.DISPLAYNAME, value)
                .execute());
    }

    /**
     * Sets or clears a user's avatar.
     *
     * @param user the user
     * @param avatarUrl the new {@code mxc://} URI, or null to clear it
     */
    public void setAvatarUrl(UserId user, @Nullable String avatarUrl) {
        String value = avatarUrl;
        db.update(tx -> tx.dsl()
                .insertInto(PROFILES)
                .set(PROFILES.USER_ID, user.toString())
                .set(PROFILES.AVATAR_URL, value)
                .onConflict(PROFILES.USER_ID)
                .doUpdate()
                .set(PROFILES.AVATAR_URL, value)
                .execute());
    }
}
