package dev.myelin.server.api.admin.media;

import dev.myelin.http.endpoint.EndpointSpec;
import dev.myelin.http.endpoint.JsonEndpoint;
import dev.myelin.http.endpoint.NoBody;
import dev.myelin.http.server.MatrixRequest;
import dev.myelin.server.handler.admin.MediaAdmin;
import dev.myelin.server.handler.admin.ServerAdmins;

/**
 * {@code DELETE /_synapse/admin/v1/media/{serverName}/{mediaId}}: deletes one local upload, its
 * file and thumbnails; 400 for another server's media, 404 for an unknown one.
 */
public final class DeleteMediaEndpoint extends JsonEndpoint<NoBody, DeleteUserMediaEndpoint.Response> {
    /** The endpoint's definition, shared with clients. */
    public static final EndpointSpec<NoBody, DeleteUserMediaEndpoint.Response> SPEC = EndpointSpec.delete(
            "/_synapse/admin/v1/media/{serverName}/{mediaId}", DeleteUserMediaEndpoint.Response.class);

    private final ServerAdmins admins;
    private final MediaAdmin media;

    public DeleteMediaEndpoint(ServerAdmins admins, MediaAdmin media) {
        super(SPEC);
        this.admins = admins;
        this.media = media;
    }

    @Override
    protected DeleteUserMediaEndpoint.Response handle(MatrixRequest request, NoBody body) {
        admins.require(request.requireRequester());
        MediaAdmin.Deleted deleted = media.delete(request.pathParam("serverName"), request.pathParam("mediaId"));
        return new DeleteUserMediaEndpoint.Response(deleted.deletedMedia(), deleted.total());
    }
}
