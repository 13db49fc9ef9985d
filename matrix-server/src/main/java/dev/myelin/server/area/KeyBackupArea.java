package dev.myelin.server.area;

import dev.myelin.http.server.Router;
import dev.myelin.server.api.client.backup.CreateBackupVersionEndpoint;
import dev.myelin.server.api.client.backup.DeleteBackupVersionEndpoint;
import dev.myelin.server.api.client.backup.DeleteRoomKeysEndpoint;
import dev.myelin.server.api.client.backup.GetBackupVersionEndpoint;
import dev.myelin.server.api.client.backup.GetLatestBackupVersionEndpoint;
import dev.myelin.server.api.client.backup.GetRoomKeysEndpoint;
import dev.myelin.server.api.client.backup.PutRoomKeysEndpoint;
import dev.myelin.server.api.client.backup.RoomKeysLevel;
import dev.myelin.server.api.client.backup.UpdateBackupVersionEndpoint;
import dev.myelin.server.handler.backup.KeyBackupHandler;
import dev.myelin.storage.Database;
import dev.myelin.storage.backup.KeyBackupStore;

/** Server-side backups of room keys: backup versions and the keys in them, per room and session. */
public final class KeyBackupArea {
    private KeyBackupArea() {}

    public static void install(Router router, Database database) {
        KeyBackupHandler backups = new KeyBackupHandler(new KeyBackupStore(database));
        router.register(new CreateBackupVersionEndpoint(backups));
        router.register(new GetLatestBackupVersionEndpoint(backups));
        router.register(new GetBackupVersionEndpoint(backups));
        router.register(new UpdateBackupVersionEndpoint(backups));
        router.register(new DeleteBackupVersionEndpoint(backups));
        for (RoomKeysLevel level : RoomKeysLevel.values()) {
            router.register(new PutRoomKeysEndpoint(backups, level));
            router.register(new GetRoomKeysEndpoint(backups, level));
            router.register(new DeleteRoomKeysEndpoint(backups, level));
        }
    }
}
