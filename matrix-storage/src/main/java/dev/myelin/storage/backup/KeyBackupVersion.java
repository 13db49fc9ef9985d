package dev.myelin.storage.backup;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * One version of a user's server-side key backup, as {@code GET /room_keys/version} describes it.
 *
 * @param version   the number clients see as a string
 * @param authData  the algorithm-dependent data the client uploaded, opaque to the server
 * @param etag      grows whenever a key of this version is written or deleted
 * @param count     how many session keys the version holds
 * @see <a href="https://spec.matrix.org/v1.19/client-server-api/#server-side-key-backups">Server-side key backups</a>
 */
public record KeyBackupVersion(long version, String algorithm, JsonNode authData, long etag, long count) {}
