package dev.myelin.server.area;

import dev.myelin.http.client.IpBlocklist;
import dev.myelin.http.client.MatrixHttpClient;
import dev.myelin.http.client.OutboundConfig;
import dev.myelin.http.client.TrustedCertificates;
import dev.myelin.http.server.Router;
import dev.myelin.server.api.client.media.CreateMediaEndpoint;
import dev.myelin.server.api.client.media.DownloadEndpoint;
import dev.myelin.server.api.client.media.MediaAccess;
import dev.myelin.server.api.client.media.MediaConfigEndpoint;
import dev.myelin.server.api.client.media.PreviewUrlEndpoint;
import dev.myelin.server.api.client.media.ThumbnailEndpoint;
import dev.myelin.server.api.client.media.UploadEndpoint;
import dev.myelin.server.api.client.media.UploadToMxcEndpoint;
import dev.myelin.server.config.MediaConfig;
import dev.myelin.server.handler.media.MediaFiles;
import dev.myelin.server.handler.media.MediaHandler;
import dev.myelin.server.handler.media.ThumbnailHandler;
import dev.myelin.server.handler.media.UrlPreviewHandler;
import dev.myelin.storage.media.MediaStore;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

/**
 * The media repository: uploads, downloads, thumbnails and, when enabled, URL previews, under both
 * the authenticated and the legacy paths. Closing it closes the URL previews' HTTP client.
 */
public final class MediaArea implements AutoCloseable {
    private final MediaStore store;
    private final Optional<UrlPreviewHandler> previews;

    private MediaArea(MediaStore store, Optional<UrlPreviewHandler> previews) {
        this.store = store;
        this.previews = previews;
    }

    /**
     * @param storePath where uploaded files live
     * @param maxUploadBytes the {@code max_upload_size}
     */
    public static MediaArea install(
            Router router,
            Core core,
            Path storePath,
            long maxUploadBytes,
            MediaConfig config,
            TrustedCertificates trust) {
        MediaStore store = new MediaStore(core.database(), core.clock());
        MediaHandler media = new MediaHandler(
                store,
                new MediaFiles(storePath),
                core.clock(),
                core.serverName(),
                maxUploadBytes,
                config.enableAuthenticatedMedia());
        ThumbnailHandler thumbnails = new ThumbnailHandler(media, config.maxImagePixels());
        Optional<UrlPreviewHandler> previews = urlPreviews(config, media, core, trust);
        for (MediaAccess access : MediaAccess.values()) {
            router.register(new DownloadEndpoint(media, access, false));
            router.register(new DownloadEndpoint(media, access, true));
            router.register(new ThumbnailEndpoint(media, thumbnails, access));
            router.register(new MediaConfigEndpoint(media, access));
            previews.ifPresent(handler -> router.register(new PreviewUrlEndpoint(handler, access)));
        }
        router.register(new UploadEndpoint(media));
        router.register(new CreateMediaEndpoint(media));
        router.register(new UploadToMxcEndpoint(media));
        return new MediaArea(store, previews);
    }

    /** Previews trust the configured extra CAs too: a site behind a private CA is what they are for. */
    private static Optional<UrlPreviewHandler> urlPreviews(
            MediaConfig config, MediaHandler media, Core core, TrustedCertificates trust) {
        if (!config.urlPreviewEnabled()) {
            return Optional.empty();
        }
        long maxBytes = Math.min(Integer.MAX_VALUE, config.urlPreviewMaxBytes());
        OutboundConfig outbound = OutboundConfig.defaults()
                .withBlocklist(IpBlocklist.of(config.urlPreviewBlockedRanges(), config.urlPreviewAllowedRanges()))
                .withMaxResponseBytes((int) maxBytes)
                .withTimeouts(Duration.ofSeconds(10), Duration.ofSeconds(30))
                .withTrust(trust);
        return Optional.of(new UrlPreviewHandler(MatrixHttpClient.create(outbound), media, core.clock()));
    }

    public MediaStore store() {
        return store;
    }

    @Override
    public void close() {
        previews.ifPresent(UrlPreviewHandler::close);
    }
}
