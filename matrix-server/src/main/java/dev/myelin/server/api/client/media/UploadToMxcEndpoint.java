package dev.myelin.server.api.client.media;

import dev.myelin.http.endpoint.EmptyResponse;
import dev.myelin.http.endpoint.EndpointSpec;
import dev.myelin.http.endpoint.JsonEndpoint;
import dev.myelin.http.endpoint.NoBody;
import dev.myelin.http.server.MatrixRequest;
import dev.myelin.server.handler.media.MediaHandler;

/**
 * {@code PUT /_matrix/media/v3/upload/{serverName}/{mediaId}}: the content of an id from
 * {@code /create}. Only its creator (403 {@code M_FORBIDDEN}), before it expires (404
 * {@code M_NOT_FOUND}), once (409 {@code M_CANNOT_OVERWRITE_MEDIA}).
 *
 * @see <a href="https://spec.matrix.org/v1.19/client-server-api/#put_matrixmediav3uploadservernamemediaid">spec</a>
 */
public final class UploadToMxcEndpoint extends JsonEndpoint<NoBody, EmptyResponse> {
    private final MediaHandler media;

    public UploadToMxcEndpoint(MediaHandler media) {
        super(spec(media.maxUploadBytes()));
        this.media = media;
    }

    /**
     * The endpoint's definition, shared with clients: the body is the media itself, streamed, of at
     * most {@code maxUploadBytes}.
     */
    public static EndpointSpec<NoBody, EmptyResponse> spec(long maxUploadBytes) {
        return EndpointSpec.put("/_matrix/media/v3/upload/{serverName}/{mediaId}", NoBody.class, EmptyResponse.class)
                .streaming()
                .maxBody(maxUploadBytes)
                .rateLimited("media_create");
    }

    @Override
    protected EmptyResponse handle(MatrixRequest request, NoBody body) {
        media.uploadTo(
                request.requireRequester().userId(),
                MediaResponses.mxcUri(request),
                request.bodyStream(),
                request.contentType(),
                request.queryParam("filename"));
        return EmptyResponse.INSTANCE;
    }
}
