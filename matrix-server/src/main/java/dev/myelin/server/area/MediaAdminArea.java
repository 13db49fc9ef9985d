package dev.myelin.server.area;

import dev.myelin.http.server.Router;
import dev.myelin.server.api.admin.media.DeleteMediaEndpoint;
import dev.myelin.server.api.admin.media.DeleteOldMediaEndpoint;
import dev.myelin.server.api.admin.media.DeleteUserMediaEndpoint;
import dev.myelin.server.api.admin.media.MediaInfoEndpoint;
import dev.myelin.server.api.admin.media.ProtectMediaEndpoint;
import dev.myelin.server.api.admin.media.QuarantineMediaEndpoint;
import dev.myelin.server.api.admin.media.QuarantineRoomMediaEndpoint;
import dev.myelin.server.api.admin.media.QuarantineUserMediaEndpoint;
import dev.myelin.server.api.admin.media.RoomMediaEndpoint;
import dev.myelin.server.api.admin.media.UnprotectMediaEndpoint;
import dev.myelin.server.api.admin.media.UnquarantineMediaEndpoint;
import dev.myelin.server.api.admin.media.UserMediaEndpoint;
import dev.myelin.server.handler.admin.MediaAdmin;
import dev.myelin.server.handler.admin.ServerAdmins;
import dev.myelin.server.handler.media.MediaFiles;
import dev.myelin.storage.media.MediaAdminStore;
import dev.myelin.storage.media.RemoteMediaStore;
import java.nio.file.Path;

/**
 * Synapse's media admin API: a user's uploads, quarantine and protection, media information, and
 * deletion of local media from the database and the media store.
 */
public final class MediaAdminArea {
    private MediaAdminArea() {}

    /** @param storePath the media store ({@code media_store_path}) whose files deletions remove */
    public static void install(Router router, Core core, Path storePath) {
        ServerAdmins admins = new ServerAdmins(core.users());
        MediaAdmin media = new MediaAdmin(
                new MediaAdminStore(core.database()),
                new RemoteMediaStore(core.database(), core.clock()),
                new MediaFiles(storePath),
                core.serverName());
        router.register(new UserMediaEndpoint(admins, media, core.users(), core.serverName()));
        router.register(new DeleteUserMediaEndpoint(admins, media, core.users(), core.serverName()));
        router.register(new QuarantineMediaEndpoint(admins, media));
        router.register(new UnquarantineMediaEndpoint(admins, media));
        router.register(new QuarantineRoomMediaEndpoint(admins, media));
        router.register(new QuarantineUserMediaEndpoint(admins, media, core.users(), core.serverName()));
        router.register(new ProtectMediaEndpoint(admins, media));
        router.register(new UnprotectMediaEndpoint(admins, media));
        router.register(new MediaInfoEndpoint(admins, media));
        router.register(new DeleteMediaEndpoint(admins, media));
        router.register(new DeleteOldMediaEndpoint(admins, media));
        router.register(new RoomMediaEndpoint(admins, media));
    }
}
