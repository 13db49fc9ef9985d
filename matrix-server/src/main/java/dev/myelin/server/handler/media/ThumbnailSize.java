package dev.myelin.server.handler.media;

import java.util.Comparator;
import java.util.List;

/**
 * A thumbnail size and method. The server makes only the spec's standard sizes, on demand, and
 * answers every request with the best of them.
 *
 * @see <a href="https://spec.matrix.org/v1.19/client-server-api/#thumbnails">thumbnails</a>
 */
public record ThumbnailSize(int width, int height, ThumbnailMethod method) {
    /** The sizes the spec says servers SHOULD produce. */
    public static final List<ThumbnailSize> STANDARD = List.of(
            new ThumbnailSize(32, 32, ThumbnailMethod.CROP),
            new ThumbnailSize(96, 96, ThumbnailMethod.CROP),
            new ThumbnailSize(320, 240, ThumbnailMethod.SCALE),
            new ThumbnailSize(640, 480, ThumbnailMethod.SCALE),
            new ThumbnailSize(800, 600, ThumbnailMethod.SCALE));

    private static final Comparator<ThumbnailSize> BY_AREA = Comparator.comparingLong(s -> (long) s.width * s.height);

    /**
     * The standard size that answers a request: the smallest of the requested method at least as
     * large as asked, else the smallest of any method at least as large, else the largest of the
     * requested method (the request is bigger than any thumbnail made).
     */
    public static ThumbnailSize select(int width, int height, ThumbnailMethod method) {
        return STANDARD.stream()
                .filter(s -> s.method == method && s.covers(width, height))
                .min(BY_AREA)
                .or(() -> STANDARD.stream().filter(s -> s.covers(width, height)).min(BY_AREA))
                .orElseGet(() -> STANDARD.stream()
                        .filter(s -> s.method == method)
                        .max(BY_AREA)
                        .orElseThrow());
    }

    private boolean covers(int w, int h) {
        return width >= w && height >= h;
    }

    /** The file name of this thumbnail in the media store. */
    String fileName(String contentType) {
        return width + "-" + height + "-" + method.value() + (contentType.equals("image/jpeg") ? ".jpg" : ".png");
    }
}
