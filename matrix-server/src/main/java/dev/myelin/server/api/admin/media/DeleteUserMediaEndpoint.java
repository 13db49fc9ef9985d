package dev.myelin.server.api.admin.media;

import dev.myelin.core.id.ServerName;
import dev.myelin.http.endpoint.EndpointSpec;
import dev.myelin.http.endpoint.JsonEndpoint;
import dev.myelin.http.endpoint.NoBody;
import dev.myelin.http.server.MatrixRequest;
import dev.myelin.server.handler.admin.MediaAdmin;
import dev.myelin.server.handler.admin.ServerAdmins;
import dev.myelin.storage.account.UserStore;
import java.util.List;

/**
 * {@code DELETE /_synapse/admin/v1/users/{userId}/media}: deletes every upload of a local user
 * (rows, files and thumbnails), as Synapse's; answers the media ids deleted.
 */
public final class DeleteUserMediaEndpoint extends JsonEndpoint<NoBody, DeleteUserMediaEndpoint.Response> {
    /** The endpoint's definition, shared with clients. */
    public static final EndpointSpec<NoBody, Response> SPEC =
            EndpointSpec.delete("/_synapse/admin/v1/users/{userId}/media", Response.class);

    /** The media ids deleted and how many. */
    public record Response(List<String> deletedMedia, int total) {}

    private final ServerAdmins admins;
    private final MediaAdmin media;
    private final UserStore users;
    private final ServerName serverName;

    public DeleteUserMediaEndpoint(ServerAdmins admins, MediaAdmin media, UserStore users, ServerName serverName) {
        super(SPEC);
        this.admins = admins;
        this.media = media;
        this.users = users;
        this.serverName = serverName;
    }

    @Override
    protected Response handle(MatrixRequest request, NoBody body) {
        admins.require(request.requireRequester());
        MediaAdmin.Deleted deleted = media.deleteUploadsBy(AdminParams.localUser(request, serverName, users));
        return new Response(deleted.deletedMedia(), deleted.total());
    }
}
