package dev.myelin.server.api.admin.media;

import dev.myelin.http.endpoint.EndpointSpec;
import dev.myelin.http.endpoint.JsonEndpoint;
import dev.myelin.http.endpoint.NoBody;
import dev.myelin.http.error.MatrixException;
import dev.myelin.http.server.MatrixRequest;
import dev.myelin.server.handler.admin.MediaAdmin;
import dev.myelin.server.handler.admin.ServerAdmins;

/**
 * {@code POST /_synapse/admin/v1/media/delete?before_ts=&size_gt=&keep_profiles=}: deletes local
 * uploads last served (or uploaded, if never served) before {@code before_ts} and larger than
 * {@code size_gt} bytes (default 0); users' avatars are kept unless {@code keep_profiles=false};
 * protected uploads are kept.
 */
public final class DeleteOldMediaEndpoint extends JsonEndpoint<NoBody, DeleteUserMediaEndpoint.Response> {
    /** The endpoint's definition, shared with clients. */
    public static final EndpointSpec<NoBody, DeleteUserMediaEndpoint.Response> SPEC =
            EndpointSpec.post("/_synapse/admin/v1/media/delete", NoBody.class, DeleteUserMediaEndpoint.Response.class);

    private final ServerAdmins admins;
    private final MediaAdmin media;

    public DeleteOldMediaEndpoint(ServerAdmins admins, MediaAdmin media) {
        super(SPEC);
        this.admins = admins;
        this.media = media;
    }

    @Override
    protected DeleteUserMediaEndpoint.Response handle(MatrixRequest request, NoBody body) {
        admins.require(request.requireRequester());
        if (request.queryParam("before_ts").isEmpty()) {
            throw MatrixException.missingParam("before_ts");
        }
        MediaAdmin.Deleted deleted = media.deleteOld(
                AdminParams.number(request, "before_ts", 0),
                AdminParams.number(request, "size_gt", 0),
                AdminParams.flag(request, "keep_profiles", true));
        return new DeleteUserMediaEndpoint.Response(deleted.deletedMedia(), deleted.total());
    }
}
