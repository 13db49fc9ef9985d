package dev.myelin.server.handler.backup;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.myelin.core.id.InvalidIdentifierException;
import dev.myelin.core.id.RoomId;
import dev.myelin.core.id.UserId;
import dev.myelin.http.error.ErrorCode;
import dev.myelin.http.error.MatrixException;
import dev.myelin.storage.backup.BackedUpSession;
import dev.myelin.storage.backup.KeyBackupStore;
import dev.myelin.storage.backup.KeyBackupVersion;
import dev.myelin.storage.backup.SessionBackup;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Server-side key backups: versions (create, read, update the auth data, delete) and the encrypted
 * megolm session keys in them, addressed by a {@link KeySelection}. Keys are written only to the
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
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private final KeyBackupStore store;

    public KeyBackupHandler(KeyBackupStore store) {
        this.store = store;
    }

    /** Creates a version from {@code {algorithm, auth_data}}; returns {@code {"version": ...}}. */
    public ObjectNode createVersion(UserId user, ObjectNode body) {
        String algorithm = algorithm(body);
        ObjectNode authData = authData(body);
        long version = store.createVersion(user, algorithm, authData);
        return NODES.objectNode().put("version", Long.toString(version));
    }

    /** The newest version; 404 {@code M_NOT_FOUND} when there is none. */
    public ObjectNode latestVersion(UserId user) {
        return versionJson(store.latest(user).orElseThrow(() -> MatrixException.notFound("No current backup version")));
    }

    public ObjectNode version(UserId user, String version) {
        return versionJson(find(user, version));
    }

    /**
     * Replaces a version's auth data. The algorithm must stay the same, and a {@code version} in the
     * body must be the one in the path (400 {@code M_INVALID_PARAM} otherwise).
     */
    public void updateVersion(UserId user, String version, ObjectNode body) {
        String algorithm = algorithm(body);
        ObjectNode authData = authData(body);
        JsonNode bodyVersion = body.get("version");
        if (bodyVersion != null && !bodyVersion.isNull()) {
            if (!bodyVersion.isTextual()) {
                throw MatrixException.badJson("'version' must be a string");
            }
            if (!bodyVersion.textValue().equals(version)) {
                throw MatrixException.invalidParam("version", "does not match the version in the path");
            }
        }
        KeyBackupVersion current = find(user, version);
        if (!current.algorithm().equals(algorithm)) {
            throw MatrixException.invalidParam("algorithm", "does not match the backup's algorithm");
        }
        if (!store.updateAuthData(user, current.version(), authData)) {
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
     * Stores the keys of {@code body} (shaped for {@code selection}'s level) in {@code version}, which
     * must be the newest: otherwise 403 {@code M_WRONG_ROOM_KEYS_VERSION} with {@code current_version},
     * or 404 when the user has no backup at all. Returns {@code {etag, count}}.
     */
    public ObjectNode putKeys(UserId user, String version, KeySelection selection, ObjectNode body) {
        List<BackedUpSession> sessions = parseUpload(selection, body);
        long number = number(version).orElse(-1L);
        Optional<KeyBackupVersion> updated = store.upload(user, number, sessions, SessionBackupRule::replaces);
        if (updated.isEmpty()) {
            KeyBackupVersion latest = store.latest(user).orElseThrow(KeyBackupHandler::unknownVersion);
            throw new MatrixException(403, ErrorCode.WRONG_ROOM_KEYS_VERSION, "Wrong backup version",
                    Map.of("current_version", NODES.textNode(Long.toString(latest.version()))), null);
        }
        return countJson(updated.get());
    }

    /**
     * The keys of {@code version} that {@code selection} addresses, shaped for its level:
     * {@code {rooms}}, {@code {sessions}} or one {@code KeyBackupData} (404 when that session has
     * none).
     */
    public ObjectNode getKeys(UserId user, String version, KeySelection selection) {
        KeyBackupVersion found = find(user, version);
        List<BackedUpSession> keys = store.keys(user, found.version(), selection.room().orElse(null),
                selection.session().orElse(null));
        if (selection.session().isPresent()) {
            return keys.stream().findFirst().map(k -> keyJson(k.backup()))
                    .orElseThrow(() -> MatrixException.notFound("Key not found"));
        }
        ObjectNode rooms = NODES.objectNode();
        for (BackedUpSession key : keys) {
            JsonNode room = rooms.get(key.room().value());
            ObjectNode sessions = room != null ? (ObjectNode) room.get("sessions")
                    : rooms.putObject(key.room().value()).putObject("sessions");
            sessions.set(key.sessionId(), keyJson(key.backup()));
        }
        if (selection.room().isPresent()) {
            ObjectNode room = (ObjectNode) rooms.get(selection.room().get().value());
            return room != null ? room : NODES.objectNode().<ObjectNode>set("sessions", NODES.objectNode());
        }
        return NODES.objectNode().set("rooms", rooms);
    }

    /** Deletes the keys {@code selection} addresses from {@code version}; returns {@code {etag, count}}. */
    public ObjectNode deleteKeys(UserId user, String version, KeySelection selection) {
        long number = number(version).orElseThrow(KeyBackupHandler::unknownVersion);
        return countJson(store.deleteKeys(user, number, selection.room().orElse(null), selection.session().orElse(null))
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

    private static String algorithm(ObjectNode body) {
        JsonNode algorithm = body.get("algorithm");
        if (algorithm == null || algorithm.isNull()) {
            throw MatrixException.missingParam("algorithm");
        }
        if (!algorithm.isTextual()) {
            throw MatrixException.badJson("'algorithm' must be a string");
        }
        if (!algorithm.textValue().equals(MEGOLM_BACKUP_V1)) {
            throw MatrixException.invalidParam("algorithm", "only " + MEGOLM_BACKUP_V1 + " is supported");
        }
        return algorithm.textValue();
    }

    private static ObjectNode authData(ObjectNode body) {
        return object(body, "auth_data");
    }

    private static List<BackedUpSession> parseUpload(KeySelection selection, ObjectNode body) {
        List<BackedUpSession> sessions = new ArrayList<>();
        if (selection.session().isPresent()) {
            sessions.add(new BackedUpSession(selection.room().get(), selection.session().get(), keyData(body)));
        } else if (selection.room().isPresent()) {
            parseSessions(selection.room().get(), body, sessions);
        } else {
            for (Map.Entry<String, JsonNode> room : object(body, "rooms").properties()) {
                RoomId roomId;
                try {
                    roomId = RoomId.parse(room.getKey());
                } catch (InvalidIdentifierException e) {
                    throw MatrixException.invalidParam("rooms", "'" + room.getKey() + "' is not a room id");
                }
                if (!(room.getValue() instanceof ObjectNode roomBody)) {
                    throw MatrixException.badJson("the backup of room " + room.getKey() + " must be an object");
                }
                parseSessions(roomId, roomBody, sessions);
            }
        }
        return sessions;
    }

    private static void parseSessions(RoomId room, ObjectNode roomBody, List<BackedUpSession> out) {
        for (Map.Entry<String, JsonNode> session : object(roomBody, "sessions").properties()) {
            if (session.getKey().isEmpty()) {
                throw MatrixException.invalidParam("sessions", "a session id must not be empty");
            }
            if (!(session.getValue() instanceof ObjectNode data)) {
                throw MatrixException.badJson("the key of session " + session.getKey() + " must be an object");
            }
            out.add(new BackedUpSession(room, session.getKey(), keyData(data)));
        }
    }

    /** A {@code KeyBackupData} object: every field required, counts never negative. */
    private static SessionBackup keyData(ObjectNode data) {
        long firstMessageIndex = count(data, "first_message_index");
        long forwardedCount = count(data, "forwarded_count");
        JsonNode verified = data.get("is_verified");
        if (verified == null || verified.isNull()) {
            throw MatrixException.missingParam("is_verified");
        }
        if (!verified.isBoolean()) {
            throw MatrixException.badJson("'is_verified' must be a boolean");
        }
        return new SessionBackup(firstMessageIndex, forwardedCount, verified.booleanValue(),
                object(data, "session_data"));
    }

    private static long count(ObjectNode data, String field) {
        JsonNode node = data.get(field);
        if (node == null || node.isNull()) {
            throw MatrixException.missingParam(field);
        }
        if (!node.isIntegralNumber() || !node.canConvertToLong()) {
            throw MatrixException.badJson("'" + field + "' must be an integer");
        }
        if (node.longValue() < 0) {
            throw MatrixException.invalidParam(field, "must not be negative");
        }
        return node.longValue();
    }

    private static ObjectNode object(ObjectNode body, String field) {
        JsonNode node = body.get(field);
        if (node == null || node.isNull()) {
            throw MatrixException.missingParam(field);
        }
        if (!(node instanceof ObjectNode object)) {
            throw MatrixException.badJson("'" + field + "' must be an object");
        }
        return object;
    }

    private static ObjectNode versionJson(KeyBackupVersion version) {
        ObjectNode json = NODES.objectNode().put("algorithm", version.algorithm());
        json.set("auth_data", version.authData());
        return json.put("count", version.count()).put("etag", Long.toString(version.etag()))
                .put("version", Long.toString(version.version()));
    }

    private static ObjectNode countJson(KeyBackupVersion version) {
        return NODES.objectNode().put("count", version.count()).put("etag", Long.toString(version.etag()));
    }

    private static ObjectNode keyJson(SessionBackup key) {
        ObjectNode json = NODES.objectNode().put("first_message_index", key.firstMessageIndex())
                .put("forwarded_count", key.forwardedCount()).put("is_verified", key.isVerified());
        json.set("session_data", key.sessionData());
        return json;
    }
}
