package dev.myelin.server.area;

import dev.myelin.core.id.ServerName;
import dev.myelin.http.server.Router;
import dev.myelin.server.api.client.userdirectory.UserDirectorySearchEndpoint;
import dev.myelin.server.handler.userdirectory.UserDirectoryHandler;
import dev.myelin.storage.Database;
import dev.myelin.storage.account.UserDirectoryStore;

/**
 * The user directory search: users who share a room with the searcher or are in a public room,
 * and other servers' users who share a room with the searcher.
 */
public final class UserDirectoryArea {
    private UserDirectoryArea() {}

    public static void install(Router router, Database database, ServerName self, RoomCore rooms) {
        router.register(new UserDirectorySearchEndpoint(
                new UserDirectoryHandler(self, rooms.state(), new UserDirectoryStore(database), rooms.roomState())));
    }
}
