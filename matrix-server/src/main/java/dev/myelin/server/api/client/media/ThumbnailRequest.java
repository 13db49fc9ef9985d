package dev.myelin.server.api.client.media;

import dev.myelin.http.error.MatrixException;
import dev.myelin.http.server.MatrixRequest;
import dev.myelin.server.handler.media.ThumbnailMethod;

/**
 * The query of a thumbnail request, on the client and the federation endpoints alike: {@code
 * width} and {@code height} required integers from 1 to {@value #MAX_DIMENSION}, {@code method}
 * {@code scale} (default) or {@code crop}, {@code animated} {@code true} or {@code false}.
 *
 * @see <a href="https://spec.matrix.org/v1.19/client-server-api/#thumbnails">thumbnails</a>
 */
public record ThumbnailRequest(int width, int height, ThumbnailMethod method, boolean animated) {
    static final int MAX_DIMENSION = 10_000;

    /** Reads the query; 400 {@code M_MISSING_PARAM} or {@code M_INVALID_PARAM} naming what is wrong. */
    public static ThumbnailRequest parse(MatrixRequest request) {
        int width = dimension(request, "width");
        int height = dimension(request, "height");
        ThumbnailMethod method = request.queryParam("method")
                .map(m -> ThumbnailMethod.parse(m)
                        .orElseThrow(() -> MatrixException.invalidParam("method", "must be crop or scale")))
                .orElse(ThumbnailMethod.SCALE);
        return new ThumbnailRequest(width, height, method, MediaResponses.bool(request, "animated"));
    }

    private static int dimension(MatrixRequest request, String name) {
        long value = MediaResponses.nonNegative(name, request.requireQueryParam(name));
        if (value < 1 || value > MAX_DIMENSION) {
            throw MatrixException.invalidParam(name, "must be between 1 and " + MAX_DIMENSION);
        }
        return (int) value;
    }
}
