package dev.myelin.server.handler.backup;

import dev.myelin.core.id.InvalidIdentifierException;
import dev.myelin.core.id.RoomId;
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

    /** Checks that {@code rooms} is present and keyed by room ids. */
    public RoomKeysBackup {
        RequestChecks.noNullValues(EndpointJson.required(rooms, "rooms"), "rooms");
        for (String room : rooms.keySet()) {
            try {
                RoomId.parse(room);
            } catch (InvalidIdentifierException e) {
                throw MatrixException.invalidParam("rooms", "'" + room + "' is not a room id");
            }
        }
    }

    /** The keys of one room. */
    public static RoomKeysBackup of(RoomId room, RoomKeyBackup keys) {
        return new RoomKeysBackup(Map.of(room.value(), keys));
    }

    /** The key of one session. */
    public static RoomKeysBackup of(RoomId room, String session, KeyBackupData key) {
        return of(room, new RoomKeyBackup(Map.of(session, key)));
    }

    /** One room's keys; none when the room has none. */
    public RoomKeyBackup room(RoomId room) {
        return Optional.ofNullable(rooms.get(room.value())).orElseGet(() -> new RoomKeyBackup(Map.of()));
    }

    /** One session's key, if there is one. */
    public Optional<KeyBackupData> session(RoomId room, String session) {
        return Optional.ofNullable(room(room).sessions().get(session));
    }

    static RoomKeysBackup of(List<BackedUpSession> keys) {
        Map<String, Map<String, KeyBackupData>> rooms = new LinkedHashMap<>();
        for (BackedUpSession key : keys) {
            rooms.computeIfAbsent(key.room().value(), r -> new LinkedHashMap<>())
                    .put(key.sessionId(), KeyBackupData.of(key.backup()));
        }
        Map<String, RoomKeyBackup> out = new LinkedHashMap<>();
        rooms.forEach((room, sessions) -> out.put(room, new RoomKeyBackup(sessions)));
        return new RoomKeysBackup(out);
    }

    List<BackedUpSession> toStored() {
        List<BackedUpSession> out = new ArrayList<>();
        rooms.forEach((room, keys) -> keys.addTo(RoomId.parse(room), out));
        return out;
    }
}
