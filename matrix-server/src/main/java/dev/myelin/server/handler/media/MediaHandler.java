package dev.myelin.server.handler.media;

import dev.myelin.core.concurrent.KeyedReadWriteLock;
import dev.myelin.core.id.MxcUri;
import dev.myelin.core.id.ServerName;
import dev.myelin.core.id.UserId;
import dev.myelin.core.time.Clock;
import dev.myelin.http.error.ErrorCode;
import dev.myelin.http.error.MatrixException;
import dev.myelin.storage.media.LocalMedia;
import dev.myelin.storage.media.MediaStore;
import dev.myelin.storage.media.PendingMedia;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Uploads and downloads of local media: streams bodies to disk within {@code max_upload_size},
 * records metadata in {@link MediaStore}, hands out ids for asynchronous uploads, and decides
 * which media an endpoint may serve (the unauthenticated endpoints' "freeze").
 *
 * @see <a href="https://spec.matrix.org/v1.19/client-server-api/#content-repository">content repository</a>
 */
public final class MediaHandler {
    private static final Logger LOG = LoggerFactory.getLogger(MediaHandler.class);

    /** How long an id from {@code /create} may wait for its content: the spec's recommendation. */
    public static final Duration UNUSED_ID_LIFETIME = Duration.ofHours(24);
    /** How many unexpired ids without content one user may hold. */
    public static final int MAX_PENDING_PER_USER = 50;
    /** The longest a download waits for content that has not been uploaded yet. */
    public static final Duration MAX_WAIT = Duration.ofMinutes(1);

    private static final Duration POLL = Duration.ofMillis(250);
    private static final int MAX_FILE_NAME = 1000;
    private static final int MAX_CONTENT_TYPE = 255;
    static final String DEFAULT_CONTENT_TYPE = "application/octet-stream";

    private final MediaStore store;
    private final MediaFiles files;
    private final Clock clock;
    private final ServerName serverName;
    private final long maxUploadBytes;
    private final boolean authenticatedMedia;
    private final SecureRandom random = new SecureRandom();
    private final KeyedReadWriteLock uploads = new KeyedReadWriteLock("media-upload");
    /** When each media's access was last written: one write per media per {@link #ACCESS_RESOLUTION}. */
    private final Map<String, Long> accessWritten = new ConcurrentHashMap<>();

    /**
     * How precise {@code last_access_ts} is: an avatar's thumbnail served a thousand times a
     * minute costs one write per this period, not one per request.
     */
    private static final Duration ACCESS_RESOLUTION = Duration.ofMinutes(10);

    /** Media whose last write is remembered; past it the memory starts over (a few extra writes). */
    private static final int MAX_ACCESS_REMEMBERED = 100_000;

    public MediaHandler(
            MediaStore store,
            MediaFiles files,
            Clock clock,
            ServerName serverName,
            long maxUploadBytes,
            boolean authenticatedMedia) {
        this.store = store;
        this.files = files;
        this.clock = clock;
        this.serverName = serverName;
        this.maxUploadBytes = maxUploadBytes;
        this.authenticatedMedia = authenticatedMedia;
    }

    public long maxUploadBytes() {
        return maxUploadBytes;
    }

    public ServerName serverName() {
        return serverName;
    }

    /** Whether {@code enable_authenticated_media} is on: what it stores goes unserved by the legacy endpoints. */
    public boolean authenticatedMedia() {
        return authenticatedMedia;
    }

    SecureRandom random() {
        return random;
    }

    MediaFiles files() {
        return files;
    }

    MediaStore store() {
        return store;
    }

    /**
     * Stores an upload under a new id. The body is streamed to a temporary file and moved into
     * place once complete; more than {@code max_upload_size} bytes fail with 413 while streaming.
     */
    public MxcUri upload(UserId uploader, InputStream body, Optional<String> contentType, Optional<String> fileName) {
        String type = contentType(contentType);
        Optional<String> name = fileName(fileName);
        MediaFiles.Received received = files.receive(body, maxUploadBytes);
        MediaId id = MediaId.random(random);
        store(id, received, type, name, uploader);
        return new MxcUri(serverName, id.value());
    }

    /** Stores bytes the server fetched itself (a URL preview's image). */
    MxcUri storeBytes(UserId uploader, byte[] bytes, String contentType, Optional<String> fileName) {
        MediaFiles.Received received = files.receive(bytes);
        MediaId id = MediaId.random(random);
        store(id, received, contentType, fileName, uploader);
        return new MxcUri(serverName, id.value());
    }

    /** Reserves an id for a later {@link #uploadTo}; 429 {@code M_LIMIT_EXCEEDED} for too many pending ones. */
    public PendingMedia create(UserId creator) {
        MediaId id = MediaId.random(random);
        Instant now = clock.now();
        Instant expires = now.plus(UNUSED_ID_LIFETIME);
        if (!store.createPending(id.value(), creator, expires, MAX_PENDING_PER_USER)) {
            throw new MatrixException(
                    429,
                    ErrorCode.LIMIT_EXCEEDED,
                    "Too many pending media uploads; upload to the ones already created first");
        }
        return new PendingMedia(id.value(), creator, now, expires);
    }

    /**
     * Uploads the content of an id from {@link #create}: only its creator, only before it expires,
     * and only once (409 {@code M_CANNOT_OVERWRITE_MEDIA}). Checked before the body is read.
     */
    public void uploadTo(
            UserId uploader, MxcUri uri, InputStream body, Optional<String> contentType, Optional<String> fileName) {
        if (!uri.server().equals(serverName)) {
            throw MatrixException.notFound("Media can only be uploaded to ids of this server");
        }
        MediaId id = new MediaId(uri.mediaId());
        String type = contentType(contentType);
        Optional<String> name = fileName(fileName);
        checkUploadable(uploader, id);
        MediaFiles.Received received = files.receive(body, maxUploadBytes);
        try (KeyedReadWriteLock.Handle ignored = uploads.write(id.value())) {
            // checked again: another upload of the same id may have finished while this one streamed
            checkUploadable(uploader, id);
            store(id, received, type, name, uploader);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            MediaFiles.deleteQuietly(received.file());
            throw MatrixException.unknown("interrupted");
        } catch (RuntimeException e) {
            MediaFiles.deleteQuietly(received.file());
            throw e;
        }
    }

    private void checkUploadable(UserId uploader, MediaId id) {
        if (store.get(id.value()).isPresent()) {
            throw new MatrixException(409, ErrorCode.CANNOT_OVERWRITE_MEDIA, "Media ID already has content");
        }
        PendingMedia pending = store.pending(id.value())
                .filter(p -> p.expiresAt().isAfter(clock.now()))
                .orElseThrow(() -> MatrixException.notFound("Unknown or expired media ID"));
        if (!pending.creator().equals(uploader)) {
            throw MatrixException.forbidden("Only the user who created this media ID may upload to it");
        }
    }

    private void store(MediaId id, MediaFiles.Received received, String type, Optional<String> name, UserId uploader) {
        Path target = files.content(id);
        files.moveIntoPlace(received.file(), target);
        boolean recorded;
        try {
            recorded = store.record(id.value(), type, received.length(), name, uploader, authenticatedMedia);
        } catch (RuntimeException e) {
            MediaFiles.deleteQuietly(target);
            throw e;
        }
        if (!recorded) {
            // random ids do not collide, and uploads to created ids are serialised by id
            throw new IllegalStateException("media id " + id + " recorded twice");
        }
    }

    /**
     * The local media an endpoint may serve. Media of other servers is 404 here ({@link
     * RemoteMediaHandler} serves it); so is quarantined media, and, on the unauthenticated endpoints ({@code legacy}),
     * media uploaded while authenticated media was enforced. An id reserved but not yet uploaded
     * is waited for up to {@code wait} (at most {@link #MAX_WAIT}), then 504 {@code M_NOT_YET_UPLOADED}.
     */
    public LocalMedia find(MxcUri uri, boolean legacy, Duration wait) {
        if (!uri.server().equals(serverName)) {
            throw MatrixException.notFound("Remote media is not available on this server");
        }
        MediaId id = new MediaId(uri.mediaId());
        // compared as durations: wait.toNanos() overflows for waits of ~292 years and more
        long deadline = clock.monotonicNanos() + (wait.compareTo(MAX_WAIT) > 0 ? MAX_WAIT : wait).toNanos();
        while (true) {
            Optional<LocalMedia> media = store.get(id.value());
            if (media.isPresent()) {
                LocalMedia m = media.get();
                if (m.quarantinedBy().isPresent() || legacy && m.authenticated()) {
                    throw MatrixException.notFound("Media not found");
                }
                recordAccess(m.mediaId());
                return m;
            }
            boolean pending = store.pending(id.value())
                    .filter(p -> p.expiresAt().isAfter(clock.now()))
                    .isPresent();
            if (!pending) {
                throw MatrixException.notFound("Media not found");
            }
            long remaining = deadline - clock.monotonicNanos();
            if (remaining <= 0) {
                throw new MatrixException(504, ErrorCode.NOT_YET_UPLOADED, "Content has not yet been uploaded");
            }
            try {
                clock.sleep(Duration.ofNanos(Math.min(remaining, POLL.toNanos())));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new MatrixException(504, ErrorCode.NOT_YET_UPLOADED, "Content has not yet been uploaded");
            }
        }
    }

    private void recordAccess(String mediaId) {
        long now = clock.nowMillis();
        Long written = accessWritten.get(mediaId);
        if (written != null && now - written < ACCESS_RESOLUTION.toMillis()) {
            return;
        }
        if (accessWritten.size() >= MAX_ACCESS_REMEMBERED) {
            accessWritten.clear();
        }
        accessWritten.put(mediaId, now);
        store.recordAccess(mediaId, now);
    }

    /** The content of {@link #find found} media, named {@code fileName} or its upload name. */
    public MediaContent content(LocalMedia media, Optional<String> fileName) {
        Path file = files.content(new MediaId(media.mediaId()));
        if (!Files.isRegularFile(file)) {
            LOG.warn("media {} is recorded but its file {} is missing", media.mediaId(), file);
            throw MatrixException.notFound("Media not found");
        }
        return new MediaContent(file, media.contentType(), media.length(), fileName.or(media::uploadName));
    }

    /** The {@code Content-Type} of an upload; absent is {@code application/octet-stream}. */
    static String contentType(Optional<String> header) {
        String type = header.map(String::strip).filter(s -> !s.isEmpty()).orElse(DEFAULT_CONTENT_TYPE);
        if (type.length() > MAX_CONTENT_TYPE
                || !type.chars().allMatch(c -> c >= 0x20 && c < 0x7f)
                || !type.contains("/")) {
            throw MatrixException.invalidParam("Content-Type", "not a media type");
        }
        return type;
    }

    static Optional<String> fileName(Optional<String> name) {
        if (name.isEmpty() || name.get().isEmpty()) {
            return Optional.empty();
        }
        String n = name.get();
        if (n.length() > MAX_FILE_NAME || n.chars().anyMatch(c -> c < 0x20 || c == 0x7f)) {
            throw MatrixException.invalidParam("filename", "too long or contains control characters");
        }
        return name;
    }
}
