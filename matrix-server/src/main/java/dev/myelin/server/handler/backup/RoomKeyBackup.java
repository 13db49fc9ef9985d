package dev.myelin.server.handler.backup;

import dev.myelin.http.endpoint.EndpointJson;
import dev.myelin.http.error.MatrixException;
import dev.myelin.server.handler.RequestChecks;
import dev.myelin.storage.backup.BackedUpSession;
import java.util.List;
import java.util.Map;

/**
 * The backed-up keys of one room, {@code {"sessions": {sessionId: KeyBackupData}}}.
 *
 * @param sessions the keys by session id, which is never empty
 * @see <a href="https://spec.matrix.org/v1.19/client-server-api/#put_matrixclientv3room_keyskeysroomid">spec</a>
 */
public record RoomKeyBackup(Map<String, KeyBackupData> sessions) implements RoomKeys {

    /** Checks that {@code sessions} is present and holds a key for each non-empty session id. */
    public RoomKeyBackup {
        RequestChecks.noNullValues(EndpointJson.required(sessions, "sessions"), "sessions");
        if (sessions.containsKey("")) {
            throw MatrixException.invalidParam("sessions", "a session id must not be empty");
        }
    }

    void addTo(String room, List<BackedUpSession> out) {
        sessions.forEach((session, key) -> out.add(new BackedUpSession(room, session, key.toStored())));
    }
}
