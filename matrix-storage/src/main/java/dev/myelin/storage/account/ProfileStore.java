package dev.myelin.storage.account;

import static dev.myelin.storage.schema.Tables.PROFILES;
import static dev.myelin.storage.schema.Tables.PROFILE_FIELDS;

import dev.myelin.core.id.UserId;
import dev.myelin.storage.Database;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * Display names and avatar URLs of local users, and their custom profile fields (each a JSON value
 * kept as text).
 */
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

    /** The custom fields of a user's profile, by key in key order; values are JSON text. */
    public Map<String, String> fields(UserId user) {
        Map<String, String> fields = new LinkedHashMap<>();
        db.read(tx -> tx.dsl()
                        .select(PROFILE_FIELDS.FIELD, PROFILE_FIELDS.VALUE)
                        .from(PROFILE_FIELDS)
                        .where(PROFILE_FIELDS.USER_ID.eq(user.toString()))
                        .orderBy(PROFILE_FIELDS.FIELD)
                        .fetch())
                .forEach(r -> fields.put(r.value1(), r.value2()));
        return fields;
    }

    /** One custom field of a user's profile as JSON text, if set. */
    public Optional<String> field(UserId user, String key) {
        return db.read(tx -> tx.dsl()
                .select(PROFILE_FIELDS.VALUE)
                .from(PROFILE_FIELDS)
                .where(PROFILE_FIELDS.USER_ID.eq(user.toString()).and(PROFILE_FIELDS.FIELD.eq(key)))
                .fetchOptional(PROFILE_FIELDS.VALUE));
    }

    /**
     * Sets a custom field.
     *
     * @param user the user
     * @param key the field's key (not displayname or avatar_url)
     * @param json the field's value as JSON text
     */
    public void setField(UserId user, String key, String json) {
        db.update(tx -> tx.dsl()
                .insertInto(PROFILE_FIELDS)
                .set(PROFILE_FIELDS.USER_ID, user.toString())
                .set(PROFILE_FIELDS.FIELD, key)
                .set(PROFILE_FIELDS.VALUE, json)
                .onConflict(PROFILE_FIELDS.USER_ID, PROFILE_FIELDS.FIELD)
                .doUpdate()
                .set(PROFILE_FIELDS.VALUE, json)
                .execute());
    }

    /** Removes a custom field; nothing happens if it was not set. */
    public void deleteField(UserId user, String key) {
        db.update(tx -> tx.dsl()
                .deleteFrom(PROFILE_FIELDS)
                .where(PROFILE_FIELDS.USER_ID.eq(user.toString()).and(PROFILE_FIELDS.FIELD.eq(key)))
                .execute());
    }

    /** Removes every custom field of a user, as erasing an account does. */
    public void deleteFields(UserId user) {
        db.update(tx -> tx.dsl()
                .deleteFrom(PROFILE_FIELDS)
                .where(PROFILE_FIELDS.USER_ID.eq(user.toString()))
                .execute());
    }
}
