package dev.myelin.server.api.client.media;

import dev.myelin.core.id.MxcUri;
import dev.myelin.http.endpoint.EndpointSpec;
import dev.myelin.http.endpoint.JsonEndpoint;
import dev.myelin.http.endpoint.NoBody;
import dev.myelin.http.server.MatrixRequest;
import dev.myelin.server.handler.media.MediaHandler;

/**
 * {@code POST /_matrix/media/v3/upload?filename=}: stores the body as new media and answers its
 * {@code content_uri}. The body is streamed to disk; {@code max_upload_size} is enforced as it
 * arrives (413 {@code M_TOO_LARGE}). Without {@code Content-Type} it is {@code application/octet-stream}.
 *
 * @see <a href="https://spec.matrix.org/v1.19/client-server-api/#post_matrixmediav3upload">spec</a>
 */
public final class UploadEndpoint extends JsonEndpoint<NoBody, UploadEndpoint.Response> {

    /**
     * Where the upload is stored.
     *
     * @param contentUri its {@code mxc://} URI
     */
    public record Response(String contentUri) {}

    private final MediaHandler media;

    public UploadEndpoint(MediaHandler media) {
        super(spec(media.maxUploadBytes()));
        this.media = media;
    }

    /**
     * The endpoint's definition, shared with clients: the body is the media itself, streamed, of at
     * most {@code maxUploadBytes}.
     */
    public static EndpointSpec<NoBody, Response> spec(long maxUploadBytes) {
        return EndpointSpec.post("/_matrix/media/v3/upload", NoBody.class, Response.class)
                .streaming()
                .maxBody(maxUploadBytes)
                .rateLimited("media_create");
    }

    @Override
    protected Response handle(MatrixRequest request, NoBody body) {
        MxcUri uri = media.upload(
                request.requireRequester().userId(),
                request.bodyStream(),
                request.contentType(),
                request.queryParam("filename"));
        return new Response(uri.toString());
    }
}
