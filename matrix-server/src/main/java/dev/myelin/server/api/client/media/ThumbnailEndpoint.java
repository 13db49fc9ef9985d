package dev.myelin.server.api.client.media;

import dev.myelin.http.endpoint.EndpointSpec;
import dev.myelin.http.endpoint.NoBody;
import dev.myelin.http.endpoint.SpecEndpoint;
import dev.myelin.http.error.MatrixException;
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
 * {@code crop}; see {@link ThumbnailHandler} for what is served. The answer is an image, not JSON.
 *
 * @see <a href="https://spec.matrix.org/v1.19/client-server-api/#get_matrixclientv1mediathumbnailservernamemediaid">spec</a>
 */
public final class ThumbnailEndpoint extends SpecEndpoint {
    /** The definition of the authenticated variant, shared with clients. */
    public static final EndpointSpec<NoBody, NoBody> SPEC = spec(MediaAccess.AUTHENTICATED);
    /** The definition of the deprecated unauthenticated variant, shared with clients. */
    public static final EndpointSpec<NoBody, NoBody> LEGACY_SPEC = spec(MediaAccess.LEGACY);

    private static final int MAX_DIMENSION = 10_000;

    private final MediaHandler media;
    private final ThumbnailHandler thumbnails;
    private final MediaAccess access;

    public ThumbnailEndpoint(MediaHandler media, ThumbnailHandler thumbnails, MediaAccess access) {
        super(spec(access));
        this.media = media;
        this.thumbnails = thumbnails;
        this.access = access;
    }

    /** The definition of one variant. */
    public static EndpointSpec<NoBody, NoBody> spec(MediaAccess access) {
        return EndpointSpec.get(access.prefix() + "/thumbnail/{serverName}/{mediaId}", NoBody.class)
                .withAuth(access.auth());
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
        LocalMedia found = media.find(
                MediaResponses.mxcUri(request), access == MediaAccess.LEGACY, MediaResponses.timeout(request));
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
