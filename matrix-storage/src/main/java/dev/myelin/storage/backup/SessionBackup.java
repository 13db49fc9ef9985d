package dev.myelin.storage.backup;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Objects;

/**
 * The backed-up key of one megolm session ({@code KeyBackupData} in the spec): metadata the server
 * compares to decide which of two uploads to keep, and the encrypted session data it never reads.
 *
 * @see <a href="https://spec.matrix.org/v1.19/client-server-api/#put_matrixclientv3room_keyskeysroomidsessionid">KeyBackupData</a>
 */
public record SessionBackup(long firstMessageIndex, long forwardedCount, boolean isVerified, JsonNode sessionData) {
    /** Checks that the counters are not negative and keeps a copy of the session data. */
    public SessionBackup {
        if (firstMessageIndex < 0 || forwardedCount < 0) {
            throw new IllegalArgumentException("first_message_index and forwarded_count are never negative");
        }
        Objects.requireNonNull(sessionData, "sessionData");
    }
}
