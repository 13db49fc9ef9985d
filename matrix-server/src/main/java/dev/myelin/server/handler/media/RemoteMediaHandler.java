package dev.myelin.server.handler.media;

import dev.myelin.core.id.MxcUri;
import dev.myelin.core.time.Clock;
import dev.myelin.federation.client.FederationClient;
import dev.myelin.federation.client.FederationTransport;
import dev.myelin.http.endpoint.EndpointSpec;
import dev.myelin.http.endpoint.NoBody;
import dev.myelin.http.error.ErrorCode;
import dev.myelin.http.error.MatrixException;
import dev.myelin.storage.media.RemoteMedia;
import dev.myelin.storage.media.RemoteMediaStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Other servers' media, for local clients: served from this server's cached copy, else fetched
 * over federation ({@link RemoteMediaFetcher}), stored in the media store and recorded in {@link
 * RemoteMediaStore}, so the next request does not go out. Concurrent requests for one item share
 * one fetch. Fetches are limited per requester by a {@link DownloadBucket} (429 {@code
 * M_LIMIT_EXCEEDED}). Quarantined copies are 404, as are, on the unauthenticated endpoints,
 * copies cached while {@code enable_authenticated_media} was on; with it on, those endpoints never
 * fetch anything.
 */
public final class RemoteMediaHandler {
    private static final Logger LOG = LoggerFactory.getLogger(RemoteMediaHandler.class);

    private final MediaHandler media;
    private final RemoteMediaStore store;
    private final RemoteMediaFetcher fetcher;
    private final DownloadBucket bucket;
    private final Clock clock;
    private final ConcurrentHashMap<MxcUri, CompletableFuture<RemoteMedia>> inFlight = new ConcurrentHashMap<>();

    /**
     * @param burstBytes {@code remote_media_download_burst_count}
     * @param bytesPerSecond {@code remote_media_download_per_second}
     */
    RemoteMediaHandler(
            MediaHandler media,
            RemoteMediaStore store,
            RemoteMediaFetcher fetcher,
            Clock clock,
            long burstBytes,
            long bytesPerSecond) {
        this.media = media;
        this.store = store;
        this.fetcher = fetcher;
        this.clock = clock;
        this.bucket = new DownloadBucket(clock, burstBytes, bytesPerSecond);
    }

    /**
     * Creates the handler.
     *
     * @param client signed requests to other servers
     * @param transport plain requests, for where a {@code Location} points
     * @param legacyDownload the deprecated download endpoint, for servers without the federation one
     * @param burstBytes {@code remote_media_download_burst_count}
     * @param bytesPerSecond {@code remote_media_download_per_second}
     */
    public static RemoteMediaHandler create(
            MediaHandler media,
            RemoteMediaStore store,
            FederationClient client,
            FederationTransport transport,
            EndpointSpec<NoBody, NoBody> legacyDownload,
            Clock clock,
            long burstBytes,
            long bytesPerSecond) {
        return new RemoteMediaHandler(
                media,
                store,
                new RemoteMediaFetcher(client, transport, legacyDownload, media.maxUploadBytes()),
                clock,
                burstBytes,
                bytesPerSecond);
    }

    /** The cached copy store. */
    public RemoteMediaStore store() {
        return store;
    }

    /**
     * The cached copy of {@code uri} (another server's), fetching it first when there is none.
     *
     * @param legacy whether an unauthenticated endpoint asks
     * @param wait how long the remote may wait for content not uploaded yet
     * @param requester whom the fetch is counted against (the client's IP address)
     */
    public RemoteMedia find(MxcUri uri, boolean legacy, Duration wait, String requester) {
        Optional<RemoteMedia> cached = store.get(uri.server(), uri.mediaId());
        if (cached.isPresent() && Files.isRegularFile(file(cached.get()))) {
            return servable(cached.get(), legacy);
        }
        if (legacy && media.authenticatedMedia()) {
            // the freeze: what would be cached now is new media, which these endpoints do not serve
            throw MatrixException.notFound("Media not found");
        }
        CompletableFuture<RemoteMedia> mine = new CompletableFuture<>();
        CompletableFuture<RemoteMedia> running = inFlight.putIfAbsent(uri, mine);
        if (running != null) {
            return servable(await(running), legacy);
        }
        try {
            RemoteMedia fetched = fetch(uri, wait, requester);
            mine.complete(fetched);
            return servable(fetched, legacy);
        } catch (RuntimeException e) {
            mine.completeExceptionally(e);
            throw e;
        } finally {
            inFlight.remove(uri, mine);
        }
    }

    /** The content of a {@link #find found} copy, named {@code fileName} or its upload name. */
    public MediaContent content(RemoteMedia found, Optional<String> fileName) {
        Path file = file(found);
        if (!Files.isRegularFile(file)) {
            throw MatrixException.notFound("Media not found");
        }
        return new MediaContent(file, found.contentType(), found.length(), fileName.or(found::uploadName));
    }

    Path file(RemoteMedia found) {
        return media.files().remoteContent(new MediaId(found.filesystemId()));
    }

    private static RemoteMedia servable(RemoteMedia m, boolean legacy) {
        if (m.quarantinedBy().isPresent() || legacy && m.authenticated()) {
            throw MatrixException.notFound("Media not found");
        }
        return m;
    }

    private RemoteMedia fetch(MxcUri uri, Duration wait, String requester) {
        // a fetch that finished between the cache lookup and taking the in-flight slot
        Optional<RemoteMedia> cached = store.get(uri.server(), uri.mediaId());
        if (cached.isPresent() && Files.isRegularFile(file(cached.get()))) {
            return cached.get();
        }
        if (!bucket.mayFetch(requester)) {
            throw limitExceeded();
        }
        RemoteMediaFetcher.Fetched fetched = fetcher.download(uri.server(), uri.mediaId(), wait);
        if (!bucket.tryCharge(requester, fetched.length())) {
            throw limitExceeded();
        }
        MediaFiles.Received received = media.files().receive(fetched.body(), fetched.offset(), fetched.length());
        if (cached.isPresent()) {
            // recorded, but its file is gone (removed by hand, a lost disk): put it back where the row says
            media.files().moveIntoPlace(received.file(), file(cached.get()));
            return cached.get();
        }
        MediaId filesystemId = MediaId.random(media.random());
        Path target = media.files().remoteContent(filesystemId);
        media.files().moveIntoPlace(received.file(), target);
        RemoteMedia record = new RemoteMedia(
                uri.server(),
                uri.mediaId(),
                fetched.contentType(),
                fetched.length(),
                fetched.fileName(),
                filesystemId.value(),
                clock.now(),
                media.authenticatedMedia(),
                Optional.empty());
        boolean recorded;
        try {
            recorded = store.record(record);
        } catch (RuntimeException e) {
            MediaFiles.deleteQuietly(target);
            throw e;
        }
        if (!recorded) {
            // cached meanwhile by another process sharing the database: serve that copy
            MediaFiles.deleteQuietly(target);
            return store.get(uri.server(), uri.mediaId()).orElseThrow();
        }
        LOG.debug("cached {} ({} bytes)", uri, fetched.length());
        return record;
    }

    private static RemoteMedia await(CompletableFuture<RemoteMedia> running) {
        try {
            return running.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw MatrixException.unknown("interrupted");
        } catch (ExecutionException e) {
            if (e.getCause() instanceof MatrixException m) {
                throw m;
            }
            throw new MatrixException(502, ErrorCode.UNKNOWN, "Failed to fetch remote media");
        }
    }

    private static MatrixException limitExceeded() {
        return new MatrixException(429, ErrorCode.LIMIT_EXCEEDED, "Too many remote media downloads; try again later");
    }
}
