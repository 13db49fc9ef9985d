package dev.myelin.server.handler.backup;

import dev.myelin.storage.backup.KeyBackupVersion;

/**
 * The answer to storing or deleting backed-up keys: the version's new {@code etag} and key count.
 *
 * @param etag changes whenever the version's keys change
 * @param count how many keys the version holds
 * @see <a href="https://spec.matrix.org/v1.19/client-server-api/#put_matrixclientv3room_keyskeys">spec</a>
 */
public record RoomKeysCount(String etag, long count) {

    static RoomKeysCount of(KeyBackupVersion version) {
        return new RoomKeysCount(Long.toString(version.etag()), version.count());
    }
}
