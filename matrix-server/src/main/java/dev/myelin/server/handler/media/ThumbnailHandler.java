package dev.myelin.server.handler.media;

import dev.myelin.http.error.ErrorCode;
import dev.myelin.http.error.MatrixException;
import dev.myelin.storage.media.LocalMedia;
import dev.myelin.storage.media.MediaThumbnail;
import dev.myelin.storage.media.RemoteMedia;
import dev.myelin.storage.media.RemoteMediaStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Semaphore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Thumbnails of local images: picks the standard size for a request, serves it from the media
 * store when it was made before, else makes it (at most {@value #CONCURRENT_GENERATIONS} at once,
 * to bound memory) and keeps it on disk with a row in the database.
 *
 * <ul>
 *   <li>An image at most as large as the request is served as it is (a GIF only when
 *       {@code animated=true}; otherwise its first frame as PNG).</li>
 *   <li>{@code animated=true} on a GIF of at most {@value #ANIMATED_ORIGINAL_MAX_BYTES} bytes
 *       serves the original, animation included; larger GIFs get a still of the first frame.</li>
 *   <li>An image with more than {@code max_image_pixels} pixels by its header is 413
 *       {@code M_TOO_LARGE}, before decoding; content that is not a readable image is 400
 *       {@code M_UNKNOWN}.</li>
 * </ul>
 *
 * @see <a href="https://spec.matrix.org/v1.19/client-server-api/#thumbnails">thumbnails</a>
 */
public final class ThumbnailHandler {
    private static final Logger LOG = LoggerFactory.getLogger(ThumbnailHandler.class);
    static final int CONCURRENT_GENERATIONS = 2;
    static final long ANIMATED_ORIGINAL_MAX_BYTES = 1024 * 1024;
    private static final Set<String> SERVABLE_ORIGINALS = Set.of("image/png", "image/jpeg", "image/gif");

    private final MediaHandler media;
    private final RemoteMediaStore remote;
    private final long maxImagePixels;
    private final Semaphore generating = new Semaphore(CONCURRENT_GENERATIONS);

    /**
     * A stored original: its content, and where thumbnails of it are kept.
     *
     * @param id the media id of local media, the filesystem id of a cached copy
     */
    private record Original(String id, boolean remote, String contentType, long length, MediaContent content) {}

    public ThumbnailHandler(MediaHandler media, RemoteMediaStore remote, long maxImagePixels) {
        this.media = media;
        this.remote = remote;
        this.maxImagePixels = maxImagePixels;
    }

    /** A thumbnail of {@code found} media for a request of {@code width x height} with {@code method}. */
    public MediaContent thumbnail(LocalMedia found, int width, int height, ThumbnailMethod method, boolean animated) {
        return thumbnail(
                new Original(
                        found.mediaId(),
                        false,
                        found.contentType(),
                        found.length(),
                        media.content(found, Optional.empty())),
                width,
                height,
                method,
                animated);
    }

    /**
     * A thumbnail of the cached copy of another server's media, made here from the copy (so a
     * thumbnail of remote media asks the remote for nothing once the copy is cached).
     */
    public MediaContent thumbnail(
            RemoteMediaHandler remoteMedia,
            RemoteMedia found,
            int width,
            int height,
            ThumbnailMethod method,
            boolean animated) {
        return thumbnail(
                new Original(
                        found.filesystemId(),
                        true,
                        found.contentType(),
                        found.length(),
                        remoteMedia.content(found, Optional.empty())),
                width,
                height,
                method,
                animated);
    }

    private MediaContent thumbnail(Original found, int width, int height, ThumbnailMethod method, boolean animated) {
        MediaContent original = found.content();
        Thumbnailer.ImageInfo info;
        try {
            info = Thumbnailer.probe(original.file());
        } catch (Thumbnailer.NotAnImageException e) {
            throw cannotThumbnail();
        }
        if (info.width() <= 0 || info.height() <= 0) {
            throw cannotThumbnail();
        }
        if (info.pixels() > maxImagePixels) {
            // the spec's answer for remote content too large to thumbnail is 502
            throw new MatrixException(
                    found.remote() ? 502 : 413,
                    ErrorCode.TOO_LARGE,
                    "Image is too large to thumbnail (" + info.width() + "x" + info.height() + ")");
        }
        String type = baseType(found.contentType());
        boolean gif = info.format().equals("gif");
        if (animated && gif && found.length() <= ANIMATED_ORIGINAL_MAX_BYTES) {
            return asThumbnail(original, "image/gif");
        }
        boolean smallerThanAsked = info.width() <= width && info.height() <= height;
        if (smallerThanAsked && !gif && SERVABLE_ORIGINALS.contains(type) && formatMatches(type, info.format())) {
            return asThumbnail(original, type);
        }
        ThumbnailSize size = smallerThanAsked
                ? new ThumbnailSize(info.width(), info.height(), ThumbnailMethod.SCALE)
                : ThumbnailSize.select(width, height, method);
        return cachedOrGenerated(found, original.file(), size);
    }

    private MediaContent cachedOrGenerated(Original found, Path source, ThumbnailSize size) {
        MediaId id = new MediaId(found.id());
        List<MediaThumbnail> made =
                found.remote() ? remote.thumbnails(found.id()) : media.store().thumbnails(found.id());
        for (MediaThumbnail t : made) {
            if (t.width() == size.width()
                    && t.height() == size.height()
                    && t.method().equals(size.method().value())) {
                Path file = thumbnailFile(found, id, size.fileName(t.contentType()));
                if (Files.isRegularFile(file)) {
                    return new MediaContent(
                            file, t.contentType(), t.length(), Optional.of(thumbnailName(t.contentType())));
                }
            }
        }
        Thumbnailer.Thumbnail generated;
        try {
            generating.acquire();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw MatrixException.unknown("interrupted");
        }
        try {
            generated = Thumbnailer.generate(source, size.width(), size.height(), size.method());
        } catch (Thumbnailer.NotAnImageException e) {
            LOG.debug("cannot thumbnail media {}", found.id(), e);
            throw cannotThumbnail();
        } finally {
            generating.release();
        }
        Path file = thumbnailFile(found, id, size.fileName(generated.contentType()));
        MediaFiles.Received received = media.files().receive(generated.bytes());
        media.files().moveIntoPlace(received.file(), file);
        MediaThumbnail row = new MediaThumbnail(
                found.id(),
                size.width(),
                size.height(),
                size.method().value(),
                generated.contentType(),
                generated.bytes().length);
        if (found.remote()) {
            remote.recordThumbnail(row);
        } else {
            media.store().recordThumbnail(row);
        }
        return new MediaContent(
                file,
                generated.contentType(),
                generated.bytes().length,
                Optional.of(thumbnailName(generated.contentType())));
    }

    private Path thumbnailFile(Original found, MediaId id, String name) {
        return found.remote()
                ? media.files().remoteThumbnail(id, name)
                : media.files().thumbnail(id, name);
    }

    private static MediaContent asThumbnail(MediaContent original, String type) {
        return new MediaContent(original.file(), type, original.length(), Optional.of(thumbnailName(type)));
    }

    private static String thumbnailName(String type) {
        return switch (type) {
            case "image/jpeg" -> "thumbnail.jpg";
            case "image/gif" -> "thumbnail.gif";
            default -> "thumbnail.png";
        };
    }

    private static boolean formatMatches(String type, String format) {
        return switch (type) {
            case "image/png" -> format.equals("png");
            case "image/jpeg" -> format.equals("jpeg") || format.equals("jpg");
            default -> false;
        };
    }

    static String baseType(String contentType) {
        int semi = contentType.indexOf(';');
        return (semi < 0 ? contentType : contentType.substring(0, semi)).strip().toLowerCase(java.util.Locale.ROOT);
    }

    private static MatrixException cannotThumbnail() {
        return new MatrixException(400, ErrorCode.UNKNOWN, "Cannot generate thumbnails for the requested content");
    }
}
