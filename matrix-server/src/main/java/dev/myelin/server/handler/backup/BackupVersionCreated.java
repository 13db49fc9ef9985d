package dev.myelin.server.handler.backup;

/**
 * The answer to creating a backup version.
 *
 * @param version the new version
 * @see <a href="https://spec.matrix.org/v1.19/client-server-api/#post_matrixclientv3room_keysversion">spec</a>
 */
public record BackupVersionCreated(String version) {}
