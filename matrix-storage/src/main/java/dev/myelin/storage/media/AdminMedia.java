package dev.myelin.storage.media;

import java.util.Optional;
import java.util.OptionalLong;

/**
 * An upload as the media admin API shows it: Synapse's fields of {@code local_media_repository}.
 *
 * @param userId who uploaded it
 * @param createdTs when it was uploaded, in ms since the epoch
 * @param lastAccessTs when it was last served, if it was
 * @param quarantinedBy the admin who quarantined it, if it is quarantined
 * @param safeFromQuarantine whether it is protected from quarantine by room or uploader
 */
public record AdminMedia(
        String mediaId,
        String mediaType,
        long mediaLength,
        Optional<String> uploadName,
        String userId,
        long createdTs,
        OptionalLong lastAccessTs,
        Optional<String> quarantinedBy,
        boolean safeFromQuarantine,
        boolean authenticated) {}
