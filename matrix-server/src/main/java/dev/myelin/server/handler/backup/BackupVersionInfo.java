package dev.myelin.server.handler.backup;

import com.fasterxml.jackson.databind.JsonNode;
import dev.myelin.storage.backup.KeyBackupVersion;

/**
 * One backup version as clients see it. {@code auth_data} is served exactly as the client stored it,
 * since it carries the client's signatures.
 *
 * @param algorithm the backup algorithm
 * @param authData the algorithm's public data
 * @param count how many keys the version holds
 * @param etag changes whenever the version's keys change
 * @param version the version
 * @see <a href="https://spec.matrix.org/v1.19/client-server-api/#get_matrixclientv3room_keysversionversion">spec</a>
 */
public record BackupVersionInfo(String algorithm, JsonNode authData, long count, String etag, String version) {

    static BackupVersionInfo of(KeyBackupVersion version) {
        return new BackupVersionInfo(
                version.algorithm(),
                version.authData(),
                version.count(),
                Long.toString(version.etag()),
                Long.toString(version.version()));
    }
}
