package dev.myelin.storage.media;

import dev.myelin.core.id.UserId;
import java.time.Instant;
import java.util.Optional;

/** Metadata of media uploaded to this server; the bytes live in the media store on disk. */
public record LocalMedia(String mediaId, String contentType, long length, Optional<String> uploadName,
        UserId uploader, Instant createdAt, Optional<UserId> quarantinedBy) {
}
