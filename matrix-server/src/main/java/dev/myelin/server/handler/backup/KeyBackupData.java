package dev.myelin.server.handler.backup;

import com.fasterxml.jackson.databind.JsonNode;
import dev.myelin.http.endpoint.EndpointJson;
import dev.myelin.http.error.MatrixException;
import dev.myelin.storage.backup.SessionBackup;

/**
 * One backed-up megolm session key, the spec's {@code KeyBackupData}: every field is required and
 * the counts are never negative. {@code session_data} is the client's encrypted payload, opaque to
 * the server, so it stays JSON (an object for the spec's algorithm, whatever another algorithm
 * makes it) and is stored and served exactly as sent.
 *
 * @param firstMessageIndex the index of the first message the key can decrypt
 * @param forwardedCount how many times the key was forwarded
 * @param isVerified whether the device the key came from was verified
 * @param sessionData the encrypted key
 * @see <a href="https://spec.matrix.org/v1.19/client-server-api/#put_matrixclientv3room_keyskeysroomidsessionid">spec</a>
 */
public record KeyBackupData(Long firstMessageIndex, Long forwardedCount, Boolean isVerified, JsonNode sessionData)
        implements RoomKeys {

    /** Checks that every field is present and the counts are not negative. */
    public KeyBackupData {
        nonNegative(firstMessageIndex, "first_message_index");
        nonNegative(forwardedCount, "forwarded_count");
        EndpointJson.required(isVerified, "is_verified");
        if (EndpointJson.required(sessionData, "session_data").isNull()) {
            throw MatrixException.missingParam("session_data");
        }
    }

    static KeyBackupData of(SessionBackup stored) {
        return new KeyBackupData(
                stored.firstMessageIndex(), stored.forwardedCount(), stored.isVerified(), stored.sessionData());
    }

    SessionBackup toStored() {
        return new SessionBackup(firstMessageIndex, forwardedCount, isVerified, sessionData);
    }

    private static void nonNegative(Long value, String field) {
        if (EndpointJson.required(value, field) < 0) {
            throw MatrixException.invalidParam(field, "must not be negative");
        }
    }
}
