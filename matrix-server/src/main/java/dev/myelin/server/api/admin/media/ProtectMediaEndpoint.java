package dev.myelin.server.api.admin.media;

import dev.myelin.http.endpoint.EmptyResponse;
import dev.myelin.http.endpoint.EndpointSpec;
import dev.myelin.http.endpoint.JsonEndpoint;
import dev.myelin.http.endpoint.NoBody;
import dev.myelin.http.server.MatrixRequest;
import dev.myelin.server.handler.admin.MediaAdmin;
import dev.myelin.server.handler.admin.ServerAdmins;

/**
 * {@code POST /_synapse/admin/v1/media/protect/{mediaId}}: protects a local upload from being
 * quarantined with its room or uploader (sticker packs, shared images); 404 for an unknown one.
 */
public final class ProtectMediaEndpoint extends JsonEndpoint<NoBody, EmptyResponse> {
    /** The endpoint's definition, shared with clients. */
    public static final EndpointSpec<NoBody, EmptyResponse> SPEC =
            EndpointSpec.post("/_synapse/admin/v1/media/protect/{mediaId}", NoBody.class, EmptyResponse.class);

    private final ServerAdmins admins;
    private final MediaAdmin media;

    public ProtectMediaEndpoint(ServerAdmins admins, MediaAdmin media) {
        super(SPEC);
        this.admins = admins;
        this.media = media;
    }

    @Override
    protected EmptyResponse handle(MatrixRequest request, NoBody body) {
        admins.require(request.requireRequester());
        media.setProtected(request.pathParam("mediaId"), true);
        return new EmptyResponse();
    }
}
