package dev.myelin.storage.media;

import dev.myelin.core.id.UserId;
import java.time.Instant;
import java.util.Optional;

/**
 * Metadata of media uploaded to this server; the bytes live in the media store on disk.
 *
 * @param authenticated whether it was uploaded while authenticated media was enforced, so that only
 *     the authenticated {@code /_matrix/client/v1/media} endpoints serve it
 */
public record LocalMedia(
        String mediaId,
        String contentType,
        long length,
        Optional<String> uploadName,
        UserId uploader,
        Instant createdAt,
        Optional<UserId> quarantinedBy,
        boolean authenticated) {

    /** Media servable by the unauthenticated endpoints too. */
    public LocalMedia(
            String mediaId,
            String contentType,
            long length,
            Optional<String> uploadName,
            UserId uploader,
            Instant createdAt,
            Optional<UserId> quarantinedBy) {
        this(mediaId, contentType, length, uploadName, uploader, createdAt, quarantinedBy, false);
    }
}
