package dev.myelin.server.handler.backup;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.myelin.http.endpoint.EndpointJson;
import dev.myelin.http.error.MatrixException;
import org.jspecify.annotations.Nullable;

/**
 * The body that creates a backup version or replaces its auth data. {@code auth_data} is defined by
 * the algorithm and signed by the client's keys, so it stays a JSON object and is stored exactly as
 * sent.
 *
 * @param algorithm the backup algorithm; only {@value KeyBackupHandler#MEGOLM_BACKUP_V1}
 * @param authData the algorithm's public data (the backup's public key and its signatures)
 * @param version when replacing, the version being replaced; must match the path when given
 * @see <a href="https://spec.matrix.org/v1.19/client-server-api/#post_matrixclientv3room_keysversion">create</a>
 * @see <a href="https://spec.matrix.org/v1.19/client-server-api/#put_matrixclientv3room_keysversionversion">update</a>
 */
public record BackupVersionBody(
        String algorithm, ObjectNode authData, @Nullable String version) {

    /** Checks that the algorithm is the supported one and the auth data is present. */
    public BackupVersionBody {
        EndpointJson.required(algorithm, "algorithm");
        if (!algorithm.equals(KeyBackupHandler.MEGOLM_BACKUP_V1)) {
            throw MatrixException.invalidParam(
                    "algorithm", "only " + KeyBackupHandler.MEGOLM_BACKUP_V1 + " is supported");
        }
        EndpointJson.required(authData, "auth_data");
    }
}
