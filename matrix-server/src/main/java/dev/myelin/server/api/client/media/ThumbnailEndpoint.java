package dev.myelin.server.api.client.media;

import dev.myelin.http.error.MatrixException;
import dev.myelin.http.server.AuthRequirement;
import dev.myelin.http.server.Endpoint;
import dev.myelin.http.server.HttpMethod;
import dev.myelin.http.server.MatrixRequest;
import dev.myelin.http.server.MatrixResponse;
import dev.myelin.server.handler.media.MediaHandler;
import dev.myelin.server.handler.media.ThumbnailHandler;
import dev.myelin.server.handler.media.ThumbnailMethod;
import dev.myelin.storage.media.LocalMedia;

/**
 * {@code GET /_matrix/client/v1/media/thumbnail/{serverName}/{mediaId}?width&height&method&animated},
 * and the deprecated unauthenticated {@code /_matrix/media/v3/thumbnail/...}. {@code width} and
 * {@code height} are required positive integers, {@code method} is {@code scale} (default) or
 * {@code crop}; see {@link ThumbnailHandler} for what is served.
 *
 * @see <a href="https://spec.matrix.org/v1.19/client-server-api/#get_matrixclientv1mediathumbnailservernamemediaid">spec</a>
 */
public final class ThumbnailEndpoint implements Endpoint {
    private static final int MAX_DIMENSION = 10_000;

    private final MediaHandler media;
    private final ThumbnailHandler thumbnails;
    private final MediaAccess access;

    public ThumbnailEndpoint(MediaHandler media, ThumbnailHandler thumbnails, MediaAccess access) {
        this.media = media;
        this.thumbnails = thumbnails;
        this.access = access;
    }

    @Override
    public HttpMethod method() {
        return HttpMethod.GET;
    }

    @Override
    public String path() {
        return access.prefix() + "/thumbnail/{serverName}/{mediaId}";
    }

    @Override
    public AuthRequirement auth() {
        return access.auth();
    }

    @Override
    public MatrixResponse handle(MatrixRequest request) {
        int width = dimension(request, "width");
        int height = dimension(request, "height");
        ThumbnailMethod method = request.queryParam("method")
                .map(m -> ThumbnailMethod.parse(m)
                        .orElseThrow(() -> MatrixException.invalidParam("method", "must be crop or scale")))
                .orElse(ThumbnailMethod.SCALE);
        boolean animated = MediaResponses.bool(request, "animated");
        LocalMedia found = media.find(MediaResponses.serverName(request), MediaResponses.mediaId(request),
                access == MediaAccess.LEGACY, MediaResponses.timeout(request));
        return MediaResponses.serve(thumbnails.thumbnail(found, width, height, method, animated), true);
    }

    private static int dimension(MatrixRequest request, String name) {
        long value = MediaResponses.nonNegative(name, request.requireQueryParam(name));
        if (value < 1 || value > MAX_DIMENSION) {
            throw MatrixException.invalidParam(name, "must be between 1 and " + MAX_DIMENSION);
        }
        return (int) value;
    }
}
