package dev.myelin.server.handler.backup;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.myelin.core.id.UserId;
import dev.myelin.http.error.ErrorCode;
import dev.myelin.http.error.MatrixException;
import dev.myelin.storage.backup.BackedUpSession;
import dev.myelin.storage.backup.KeyBackupStore;
import dev.myelin.storage.backup.KeyBackupVersion;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Server-side key backups: versions (create, read, update the auth data, delete) and the encrypted
 * megolm session keys in them, addressed by a {@link KeySelection}. Bodies arrive as records checked
 * when they were bound ({@link BackupVersionBody}, {@link RoomKeysBackup}). Keys are written only to the
 * user's newest version; reading and deleting keys works on any version that still exists. An
 * uploaded key replaces a stored one only when {@link SessionBackupRule} says it is better.
 *
 * <p>Versions are decimal numbers; a version string that is not one names no backup (404).
 *
 * @see <a href="https://spec.matrix.org/v1.19/client-server-api/#server-side-key-backups">Server-side key backups</a>
 */
public final class KeyBackupHandler {
    /** The one backup algorithm of the spec. */
    public static final String MEGOLM_BACKUP_V1 = "m.megolm_backup.v1.curve25519-aes-sha2";

    private final KeyBackupStore store;

    public KeyBackupHandler(KeyBackupStore store) {
        this.store = store;
    }

    /** Creates a version; returns its number. */
    public BackupVersionCreated createVersion(UserId user, BackupVersionBody body) {
        long version = store.createVersion(user, body.algorithm(), body.authData());
        return new BackupVersionCreated(Long.toString(version));
    }

    /** The newest version; 404 {@code M_NOT_FOUND} when there is none. */
    public BackupVersionInfo latestVersion(UserId user) {
        return BackupVersionInfo.of(
                store.latest(user).orElseThrow(() -> MatrixException.notFound("No current backup version")));
    }

    public BackupVersionInfo version(UserId user, String version) {
        return BackupVersionInfo.of(find(user, version));
    }

    /**
     * Replaces a version's auth data. The algorithm must stay the same, and a {@code version} in the
     * body must be the one in the path (400 {@code M_INVALID_PARAM} otherwise).
     */
    public void updateVersion(UserId user, String version, BackupVersionBody body) {
        if (body.version() != null && !body.version().equals(version)) {
            throw MatrixException.invalidParam("version", "does not match the version in the path");
        }
        KeyBackupVersion current = find(user, version);
        if (!current.algorithm().equals(body.algorithm())) {
            throw MatrixException.invalidParam("algorithm", "does not match the backup's algorithm");
        }
        if (!store.updateAuthData(user, current.version(), body.authData())) {
            throw unknownVersion();
        }
    }

    /** Deletes a version and its keys; a version deleted before is a success, one never created 404. */
    public void deleteVersion(UserId user, String version) {
        long number = number(version).orElseThrow(KeyBackupHandler::unknownVersion);
        if (store.deleteVersion(user, number) == KeyBackupStore.Deletion.NOT_FOUND) {
            throw unknownVersion();
        }
    }

    /**
     * Stores {@code keys} in {@code version}, which must be the newest: otherwise 403
     * {@code M_WRONG_ROOM_KEYS_VERSION} with {@code current_version}, or 404 when the user has no
     * backup at all.
     */
    public RoomKeysCount putKeys(UserId user, String version, RoomKeysBackup keys) {
        List<BackedUpSession> sessions = keys.toStored();
        long number = number(version).orElse(-1L);
        Optional<KeyBackupVersion> updated = store.upload(user, number, sessions, SessionBackupRule::replaces);
        if (updated.isEmpty()) {
            KeyBackupVersion latest = store.latest(user).orElseThrow(KeyBackupHandler::unknownVersion);
            throw new MatrixException(
                    403,
                    ErrorCode.WRONG_ROOM_KEYS_VERSION,
                    "Wrong backup version",
                    Map.of("current_version", JsonNodeFactory.instance.textNode(Long.toString(latest.version()))),
                    null);
        }
        return RoomKeysCount.of(updated.get());
    }

    /** The keys of {@code version} that {@code selection} addresses, grouped by room and session. */
    public RoomKeysBackup getKeys(UserId user, String version, KeySelection selection) {
        KeyBackupVersion found = find(user, version);
        return RoomKeysBackup.of(store.keys(
                user,
                found.version(),
                selection.room().orElse(null),
                selection.session().orElse(null)));
    }

    /** Deletes the keys {@code selection} addresses from {@code version}. */
    public RoomKeysCount deleteKeys(UserId user, String version, KeySelection selection) {
        long number = number(version).orElseThrow(KeyBackupHandler::unknownVersion);
        return RoomKeysCount.of(store.deleteKeys(
                        user,
                        number,
                        selection.room().orElse(null),
                        selection.session().orElse(null))
                .orElseThrow(KeyBackupHandler::unknownVersion));
    }

    private KeyBackupVersion find(UserId user, String version) {
        return number(version).flatMap(v -> store.version(user, v)).orElseThrow(KeyBackupHandler::unknownVersion);
    }

    private static Optional<Long> number(String version) {
        if (version.isEmpty() || version.length() > 18 || !version.chars().allMatch(c -> c >= '0' && c <= '9')) {
            return Optional.empty();
        }
        return Optional.of(Long.parseLong(version));
    }

    private static MatrixException unknownVersion() {
        return MatrixException.notFound("Unknown backup version");
    }
}
