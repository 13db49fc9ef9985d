package dev.myelin.storage.media;

import dev.myelin.core.id.ServerName;
import dev.myelin.core.id.UserId;
import java.time.Instant;
import java.util.Optional;

/**
 * This server's cached copy of another server's media ({@code mxc://origin/mediaId}); the bytes
 * live in the media store under {@code filesystemId}.
 *
 * @param filesystemId the random id this server stores the copy under
 * @param cachedAt when the copy was fetched
 * @param authenticated whether it was cached while authenticated media was enforced, so that only
 *     the authenticated {@code /_matrix/client/v1/media} endpoints serve it
 */
public record RemoteMedia(
        ServerName origin,
        String mediaId,
        String contentType,
        long length,
        Optional<String> uploadName,
        String filesystemId,
        Instant cachedAt,
        boolean authenticated,
        Optional<UserId> quarantinedBy) {}
