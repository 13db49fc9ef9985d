package dev.myelin.server.api.admin.media;

import dev.myelin.http.endpoint.EndpointSpec;
import dev.myelin.http.endpoint.JsonEndpoint;
import dev.myelin.http.endpoint.NoBody;
import dev.myelin.http.server.MatrixRequest;
import dev.myelin.server.handler.admin.MediaAdmin;
import dev.myelin.server.handler.admin.ServerAdmins;

/**
 * {@code GET /_synapse/admin/v1/media/{serverName}/{mediaId}}: what the server holds of one local
 * upload or cached remote copy, in Synapse's {@code media_info} shape; 404 when unknown here.
 */
public final class MediaInfoEndpoint extends JsonEndpoint<NoBody, MediaInfoEndpoint.Response> {
    /** The endpoint's definition, shared with clients. */
    public static final EndpointSpec<NoBody, Response> SPEC =
            EndpointSpec.get("/_synapse/admin/v1/media/{serverName}/{mediaId}", Response.class);

    /** The media's information; absent values are null, as Synapse sends them. */
    public record Response(MediaAdmin.MediaInfo mediaInfo) {}

    private final ServerAdmins admins;
    private final MediaAdmin media;

    public MediaInfoEndpoint(ServerAdmins admins, MediaAdmin media) {
        super(SPEC);
        this.admins = admins;
        this.media = media;
    }

    @Override
    protected Response handle(MatrixRequest request, NoBody body) {
        admins.require(request.requireRequester());
        return new Response(media.info(request.pathParam("serverName"), request.pathParam("mediaId")));
    }
}
