package dev.myelin.storage.media;

import dev.myelin.core.id.UserId;
import java.time.Instant;

/**
 * A media id handed out by {@code POST /_matrix/media/v1/create} whose content has not been
 * uploaded yet.
 *
 * @param creator the only user who may upload the content
 * @param expiresAt after this the id is void and may no longer be uploaded to
 */
public record PendingMedia(String mediaId, UserId creator, Instant createdAt, Instant expiresAt) {}
