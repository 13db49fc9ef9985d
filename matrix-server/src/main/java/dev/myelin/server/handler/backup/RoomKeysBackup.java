package dev.myelin.server.handler.backup;

import dev.myelin.http.endpoint.EndpointJson;
import dev.myelin.http.error.MatrixException;
import dev.myelin.server.handler.RequestChecks;
import dev.myelin.storage.backup.BackedUpSession;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Backed-up keys of any number of rooms, {@code {"rooms": {roomId: {"sessions": {...}}}}}: the body
 * and answer of {@code /room_keys/keys}, and the form the handler takes uploads at every level in.
 *
 * @param rooms the keys by room id
 * @see <a href="https://spec.matrix.org/v1.19/client-server-api/#put_matrixclientv3room_keyskeys">spec</a>
 */
public record RoomKeysBackup(Map<String, RoomKeyBackup> rooms) implements RoomKeys {
    /** The longest room id the spec allows. */
    static final int MAX_ROOM_ID_LENGTH = 255;

    /** Checks that {@code rooms} is present and keyed by room ids the database can hold. */
    public RoomKeysBackup {
        RequestChecks.noNullValues(EndpointJson.required(rooms, "rooms"), "rooms");
        rooms.keySet().forEach(room -> checkRoom(room, "rooms"));
    }

    /**
     * Checks a room id of a backup. It is the client's label for its keys and is never looked up,
     * so any room id is kept as sent, as Synapse keeps it; only what no room id can be is refused.
     *
     * @throws MatrixException 400 {@code M_INVALID_PARAM} naming {@code field}
     */
    public static String checkRoom(String room, String field) {
        if (room.isEmpty() || room.length() > MAX_ROOM_ID_LENGTH) {
            throw MatrixException.invalidParam(field, "a room id must be 1 to " + MAX_ROOM_ID_LENGTH + " characters");
        }
        RequestChecks.storableText(room, field);
        return room;
    }

    /** The keys of one room. */
    public static RoomKeysBackup of(String room, RoomKeyBackup keys) {
        return new RoomKeysBackup(Map.of(room, keys));
    }

    /** The key of one session. */
    public static RoomKeysBackup of(String room, String session, KeyBackupData key) {
        return of(room, new RoomKeyBackup(Map.of(session, key)));
    }

    /** One room's keys; none when the room has none. */
    public RoomKeyBackup room(String room) {
        return Optional.ofNullable(rooms.get(room)).orElseGet(() -> new RoomKeyBackup(Map.of()));
    }

    /** One session's key, if there is one. */
    public Optional<KeyBackupData> session(String room, String session) {
        return Optional.ofNullable(room(room).sessions().get(session));
    }

    static RoomKeysBackup of(List<BackedUpSession> keys) {
        Map<String, Map<String, KeyBackupData>> rooms = new LinkedHashMap<>();
        for (BackedUpSession key : keys) {
            rooms.computeIfAbsent(key.room(), r -> new LinkedHashMap<>())
                    .put(key.sessionId(), KeyBackupData.of(key.backup()));
        }
        Map<String, RoomKeyBackup> out = new LinkedHashMap<>();
        rooms.forEach((room, sessions) -> out.put(room, new RoomKeyBackup(sessions)));
        return new RoomKeysBackup(out);
    }

    List<BackedUpSession> toStored() {
        List<BackedUpSession> out = new ArrayList<>();
        rooms.forEach((room, keys) -> keys.addTo(room, out));
        return out;
    }
}
