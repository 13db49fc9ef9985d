package dev.myelin.server.handler.backup;

import com.fasterxml.jackson.databind.JsonNode;
import dev.myelin.http.endpoint.EndpointJson;
import dev.myelin.http.error.MatrixException;
import dev.myelin.server.handler.RequestChecks;
import org.jspecify.annotations.Nullable;

/**
 * The body that creates a backup version or replaces its auth data. {@code auth_data} is defined by
 * the algorithm and signed by the client's keys, so it stays JSON and is stored exactly as sent: an
 * object for the spec's algorithm, any value for others, whose meaning only their clients know.
 *
 * @param algorithm the backup algorithm, such as {@value KeyBackupHandler#MEGOLM_BACKUP_V1}; any
 *     name is kept, because only the clients that share the backup read what it means
 * @param authData the algorithm's public data (the backup's public key and its signatures)
 * @param version when replacing, the version being replaced; must match the path when given
 * @see <a href="https://spec.matrix.org/v1.19/client-server-api/#post_matrixclientv3room_keysversion">create</a>
 * @see <a href="https://spec.matrix.org/v1.19/client-server-api/#put_matrixclientv3room_keysversionversion">update</a>
 */
public record BackupVersionBody(
        String algorithm, JsonNode authData, @Nullable String version) {

    /** The longest algorithm name kept. */
    static final int MAX_ALGORITHM_LENGTH = 255;

    /** Checks that the algorithm is a storable name and the auth data is present. */
    public BackupVersionBody {
        EndpointJson.required(algorithm, "algorithm");
        if (algorithm.isEmpty() || algorithm.length() > MAX_ALGORITHM_LENGTH) {
            throw MatrixException.invalidParam("algorithm", "must be 1 to " + MAX_ALGORITHM_LENGTH + " characters");
        }
        RequestChecks.storableText(algorithm, "algorithm");
        EndpointJson.required(authData, "auth_data");
        if (authData.isNull()) {
            throw MatrixException.missingParam("auth_data");
        }
        if (algorithm.equals(KeyBackupHandler.MEGOLM_BACKUP_V1) && !authData.isObject()) {
            throw MatrixException.badJson("'auth_data' must be an object");
        }
    }
}
