package dev.myelin.storage.backup;

import static dev.myelin.storage.schema.Tables.KEY_BACKUP_KEYS;
import static dev.myelin.storage.schema.Tables.KEY_BACKUP_VERSIONS;

import com.fasterxml.jackson.databind.JsonNode;
import dev.myelin.core.id.UserId;
import dev.myelin.storage.Database;
import dev.myelin.storage.Transaction;
import dev.myelin.storage.internal.Json;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.BiPredicate;
import org.jooq.Condition;
import org.jooq.impl.DSL;
import org.jspecify.annotations.Nullable;

/**
 * Users' server-side key backups: numbered versions, each with its algorithm, auth data and the
 * encrypted megolm session keys uploaded to it. Only the newest live version accepts keys
 * ({@link #upload} checks that in the same transaction as the write). A deleted version loses its
 * keys but keeps its number, so a later version never reuses it.
 *
 * @see <a href="https://spec.matrix.org/v1.19/client-server-api/#server-side-key-backups">Server-side key backups</a>
 */
public final class KeyBackupStore {
    private final Database db;

    /**
     * Creates the store.
     *
     * @param db the database
     */
    public KeyBackupStore(Database db) {
        this.db = db;
    }

    /** Creates a version numbered one past every version the user ever had; returns its number. */
    public long createVersion(UserId user, String algorithm, JsonNode authData) {
        return db.write(tx -> {
            Long max = tx.dsl()
                    .select(DSL.max(KEY_BACKUP_VERSIONS.VERSION))
                    .from(KEY_BACKUP_VERSIONS)
                    .where(KEY_BACKUP_VERSIONS.USER_ID.eq(user.toString()))
                    .fetchOne()
                    .value1();
            long version = max == null ? 1 : max + 1;
            tx.dsl()
                    .insertInto(KEY_BACKUP_VERSIONS)
                    .set(KEY_BACKUP_VERSIONS.USER_ID, user.toString())
                    .set(KEY_BACKUP_VERSIONS.VERSION, version)
                    .set(KEY_BACKUP_VERSIONS.ALGORITHM, algorithm)
                    .set(KEY_BACKUP_VERSIONS.AUTH_DATA, Json.write(authData))
                    .set(KEY_BACKUP_VERSIONS.ETAG, 0L)
                    .set(KEY_BACKUP_VERSIONS.DELETED, false)
                    .execute();
            return version;
        });
    }

    /** The user's newest version that is not deleted. */
    public Optional<KeyBackupVersion> latest(UserId user) {
        return db.read(tx -> latestNumber(tx, user).flatMap(v -> read(tx, user, v)));
    }

    /** A version that exists and is not deleted. */
    public Optional<KeyBackupVersion> version(UserId user, long version) {
        return db.read(tx -> read(tx, user, version));
    }

    /** Replaces a live version's auth data; false when there is no such live version. */
    public boolean updateAuthData(UserId user, long version, JsonNode authData) {
        return db.write(tx -> tx.dsl()
                        .update(KEY_BACKUP_VERSIONS)
                        .set(KEY_BACKUP_VERSIONS.AUTH_DATA, Json.write(authData))
                        .where(live(user, version))
                        .execute()
                > 0);
    }

    /** What {@link #deleteVersion} found. */
    public enum Deletion {
        /** The version was live and is deleted now. */
        DELETED,
        /** The version had been deleted before. */
        ALREADY_DELETED,
        /** The user has no such version. */
        NOT_FOUND
    }

    /** Marks a version deleted and deletes its keys. */
    public Deletion deleteVersion(UserId user, long version) {
        return db.write(tx -> {
            Optional<Boolean> deleted = tx.dsl()
                    .select(KEY_BACKUP_VERSIONS.DELETED)
                    .from(KEY_BACKUP_VERSIONS)
                    .where(KEY_BACKUP_VERSIONS.USER_ID.eq(user.toString()), KEY_BACKUP_VERSIONS.VERSION.eq(version))
                    .fetchOptional(KEY_BACKUP_VERSIONS.DELETED);
            if (deleted.isEmpty()) {
                return Deletion.NOT_FOUND;
            }
            if (deleted.get()) {
                return Deletion.ALREADY_DELETED;
            }
            tx.dsl().deleteFrom(KEY_BACKUP_KEYS).where(keysOf(user, version)).execute();
            tx.dsl()
                    .update(KEY_BACKUP_VERSIONS)
                    .set(KEY_BACKUP_VERSIONS.DELETED, true)
                    .where(live(user, version))
                    .execute();
            return Deletion.DELETED;
        });
    }

    /**
     * Stores session keys in {@code version} if it is the user's newest live version, each one only
     * when there is none yet for its session or {@code replaces.test(uploaded, stored)} says the
     * upload is better. The etag grows when anything was written.
     *
     * @return the version afterwards, or empty when {@code version} is not the newest live one
     */
    public Optional<KeyBackupVersion> upload(
            UserId user,
            long version,
            List<BackedUpSession> sessions,
            BiPredicate<SessionBackup, SessionBackup> replaces) {
        return db.write(tx -> {
            if (!latestNumber(tx, user).equals(Optional.of(version))) {
                return Optional.empty();
            }
            boolean changed = false;
            for (BackedUpSession session : sessions) {
                Condition key = keysOf(user, version)
                        .and(KEY_BACKUP_KEYS.ROOM_ID.eq(session.room()))
                        .and(KEY_BACKUP_KEYS.SESSION_ID.eq(session.sessionId()));
                Optional<SessionBackup> stored = tx.dsl()
                        .selectFrom(KEY_BACKUP_KEYS)
                        .where(key)
                        .fetchOptional(r -> new SessionBackup(
                                r.getFirstMessageIndex(),
                                r.getForwardedCount(),
                                r.getIsVerified(),
                                Json.readNode(r.getSessionData())));
                SessionBackup backup = session.backup();
                if (stored.isPresent() && !replaces.test(backup, stored.get())) {
                    continue;
                }
                tx.dsl().deleteFrom(KEY_BACKUP_KEYS).where(key).execute();
                tx.dsl()
                        .insertInto(KEY_BACKUP_KEYS)
                        .set(KEY_BACKUP_KEYS.USER_ID, user.toString())
                        .set(KEY_BACKUP_KEYS.VERSION, version)
                        .set(KEY_BACKUP_KEYS.ROOM_ID, session.room())
                        .set(KEY_BACKUP_KEYS.SESSION_ID, session.sessionId())
                        .set(KEY_BACKUP_KEYS.FIRST_MESSAGE_INDEX, backup.firstMessageIndex())
                        .set(KEY_BACKUP_KEYS.FORWARDED_COUNT, backup.forwardedCount())
                        .set(KEY_BACKUP_KEYS.IS_VERIFIED, backup.isVerified())
                        .set(KEY_BACKUP_KEYS.SESSION_DATA, Json.write(backup.sessionData()))
                        .execute();
                changed = true;
            }
            if (changed) {
                bumpEtag(tx, user, version);
            }
            return read(tx, user, version);
        });
    }

    /**
     * The keys of a version, ordered by room then session: all of them, one room's, or one
     * session's. Empty for a version that does not exist or is deleted.
     */
    public List<BackedUpSession> keys(UserId user, long version, @Nullable String room, @Nullable String session) {
        return db.read(tx -> tx.dsl()
                .selectFrom(KEY_BACKUP_KEYS)
                .where(selection(user, version, Optional.ofNullable(room), Optional.ofNullable(session)))
                .orderBy(KEY_BACKUP_KEYS.ROOM_ID, KEY_BACKUP_KEYS.SESSION_ID)
                .fetch(r -> new BackedUpSession(
                        r.getRoomId(),
                        r.getSessionId(),
                        new SessionBackup(
                                r.getFirstMessageIndex(),
                                r.getForwardedCount(),
                                r.getIsVerified(),
                                Json.readNode(r.getSessionData())))));
    }

    /**
     * Deletes all keys of a live version, one room's, or one session's; the etag grows when any
     * went.
     *
     * @return the version afterwards, or empty when it does not exist or is deleted
     */
    public Optional<KeyBackupVersion> deleteKeys(
            UserId user, long version, @Nullable String room, @Nullable String session) {
        return db.write(tx -> {
            if (read(tx, user, version).isEmpty()) {
                return Optional.empty();
            }
            if (tx.dsl()
                            .deleteFrom(KEY_BACKUP_KEYS)
                            .where(selection(user, version, Optional.ofNullable(room), Optional.ofNullable(session)))
                            .execute()
                    > 0) {
                bumpEtag(tx, user, version);
            }
            return read(tx, user, version);
        });
    }

    private static Optional<Long> latestNumber(Transaction tx, UserId user) {
        return Optional.ofNullable(tx.dsl()
                .select(DSL.max(KEY_BACKUP_VERSIONS.VERSION))
                .from(KEY_BACKUP_VERSIONS)
                .where(KEY_BACKUP_VERSIONS.USER_ID.eq(user.toString()), KEY_BACKUP_VERSIONS.DELETED.isFalse())
                .fetchOne()
                .value1());
    }

    private static Optional<KeyBackupVersion> read(Transaction tx, UserId user, long version) {
        return tx.dsl()
                .selectFrom(KEY_BACKUP_VERSIONS)
                .where(live(user, version))
                .fetchOptional()
                .map(r -> new KeyBackupVersion(
                        version,
                        r.getAlgorithm(),
                        Json.readNode(r.getAuthData()),
                        r.getEtag(),
                        tx.dsl().fetchCount(KEY_BACKUP_KEYS, keysOf(user, version))));
    }

    private static void bumpEtag(Transaction tx, UserId user, long version) {
        tx.dsl()
                .update(KEY_BACKUP_VERSIONS)
                .set(KEY_BACKUP_VERSIONS.ETAG, KEY_BACKUP_VERSIONS.ETAG.plus(1))
                .where(live(user, version))
                .execute();
    }

    private static Condition live(UserId user, long version) {
        return KEY_BACKUP_VERSIONS
                .USER_ID
                .eq(user.toString())
                .and(KEY_BACKUP_VERSIONS.VERSION.eq(version))
                .and(KEY_BACKUP_VERSIONS.DELETED.isFalse());
    }

    private static Condition keysOf(UserId user, long version) {
        return KEY_BACKUP_KEYS.USER_ID.eq(user.toString()).and(KEY_BACKUP_KEYS.VERSION.eq(version));
    }

    private static Condition selection(UserId user, long version, Optional<String> room, Optional<String> session) {
        List<Condition> conditions = new ArrayList<>(List.of(keysOf(user, version)));
        room.ifPresent(r -> conditions.add(KEY_BACKUP_KEYS.ROOM_ID.eq(r)));
        session.ifPresent(s -> conditions.add(KEY_BACKUP_KEYS.SESSION_ID.eq(s)));
        return DSL.and(conditions);
    }
}
