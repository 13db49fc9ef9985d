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
import dev.myelin.server.api.federation.FederationMediaDownloadEndpoint;
import dev.myelin.server.api.federation.FederationMediaThumbnailEndpoint;
import dev.myelin.server.config.MediaConfig;
import dev.myelin.server.config.OptionalLibrary;
import dev.myelin.server.handler.media.MediaFiles;
import dev.myelin.server.handler.media.MediaHandler;
import dev.myelin.server.handler.media.RemoteMediaHandler;
import dev.myelin.server.handler.media.ThumbnailHandler;
import dev.myelin.server.handler.media.UrlPreviewHandler;
import dev.myelin.storage.media.MediaStore;
import dev.myelin.storage.media.RemoteMediaStore;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Optional;

/**
 * The media repository: uploads, downloads, thumbnails and, when enabled, URL previews, under both
 * the authenticated and the legacy paths; other servers' media fetched over federation and cached;
 * this server's media served to other servers. Closing it closes the URL previews' HTTP client.
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
     * @param federation how other servers' media is fetched
     */
    public static MediaArea install(
            Router router,
            Core core,
            Path storePath,
            long maxUploadBytes,
            MediaConfig config,
            TrustedCertificates trust,
            FederationOutbound federation) {
        MediaStore store = new MediaStore(core.database(), core.clock());
        SecureRandom random = new SecureRandom();
        MediaHandler media = new MediaHandler(
                store,
                new MediaFiles(storePath),
                core.clock(),
                core.serverName(),
                maxUploadBytes,
                config.enableAuthenticatedMedia());
        // a fetch is for a user waiting on it: tried even while the server is in backoff
        RemoteMediaHandler remote = RemoteMediaHandler.create(
                media,
                new RemoteMediaStore(core.database(), core.clock()),
                federation.client().ignoringBackoff(),
                federation.transport(),
                DownloadEndpoint.LEGACY_SPEC,
                core.clock(),
                config.remoteDownloadBurstBytes(),
                config.remoteDownloadBytesPerSecond());
        ThumbnailHandler thumbnails = new ThumbnailHandler(media, remote.store(), config.maxImagePixels());
        Optional<UrlPreviewHandler> previews = urlPreviews(config, media, core, trust);
        // Clients from before v1.1 (matrix-nio among them) still use r0, which v3 renamed without
        // changes; the alias reaches the same endpoints, so the freeze of unauthenticated
        // downloads applies there too.
        router.aliasPrefix("/_matrix/media/r0/", "/_matrix/media/v3/");
        for (MediaAccess access : MediaAccess.values()) {
            router.register(new DownloadEndpoint(media, remote, access, false));
            router.register(new DownloadEndpoint(media, remote, access, true));
            router.register(new ThumbnailEndpoint(media, remote, thumbnails, access));
            router.register(new MediaConfigEndpoint(media, access));
            if (previews.isPresent()) { // not a lambda: see close()
                router.register(new PreviewUrlEndpoint(previews.get(), access));
            }
        }
        router.register(new UploadEndpoint(media));
        router.register(new CreateMediaEndpoint(media));
        router.register(new UploadToMxcEndpoint(media));
        router.register(new FederationMediaDownloadEndpoint(media, random));
        router.register(new FederationMediaThumbnailEndpoint(media, thumbnails, random));
        return new MediaArea(store, previews);
    }

    /** Previews trust the configured extra CAs too: a site behind a private CA is what they are for. */
    private static Optional<UrlPreviewHandler> urlPreviews(
            MediaConfig config, MediaHandler media, Core core, TrustedCertificates trust) {
        if (!config.urlPreviewEnabled()) {
            return Optional.empty();
        }
        OptionalLibrary.JSOUP.require();
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
        // not a method reference: resolving one loads the handler's class (and jsoup's, which it may need)
        // even when previews are off, and jsoup is an optional dependency
        if (previews.isPresent()) {
            previews.get().close();
        }
    }
}
