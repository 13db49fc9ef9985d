package dev.myelin.storage.media;

import static dev.myelin.storage.schema.Tables.REMOTE_MEDIA_CACHE;
import static dev.myelin.storage.schema.Tables.REMOTE_MEDIA_THUMBNAILS;

import dev.myelin.core.id.ServerName;
import dev.myelin.core.id.UserId;
import dev.myelin.core.time.Clock;
import dev.myelin.storage.Database;
import dev.myelin.storage.schema.tables.records.RemoteMediaCacheRecord;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** Metadata of the cached copies of other servers' media, and of the thumbnails made of them. */
public final class RemoteMediaStore {
    private final Database db;
    private final Clock clock;

    /**
     * Creates the store.
     *
     * @param db the database
     * @param clock the time source for timestamps
     */
    public RemoteMediaStore(Database db, Clock clock) {
        this.db = db;
        this.clock = clock;
    }

    /** The cached copy of {@code mxc://origin/mediaId}, if any. */
    public Optional<RemoteMedia> get(ServerName origin, String mediaId) {
        return db.read(tx -> tx.dsl()
                        .selectFrom(REMOTE_MEDIA_CACHE)
                        .where(REMOTE_MEDIA_CACHE.MEDIA_ORIGIN.eq(origin.toString()))
                        .and(REMOTE_MEDIA_CACHE.MEDIA_ID.eq(mediaId))
                        .fetchOptional())
                .map(RemoteMediaStore::toMedia);
    }

    /** Records a cached copy; false (and nothing changed) if one is recorded already. */
    public boolean record(RemoteMedia media) {
        return db.write(tx -> tx.dsl()
                        .insertInto(REMOTE_MEDIA_CACHE)
                        .set(REMOTE_MEDIA_CACHE.MEDIA_ORIGIN, media.origin().toString())
                        .set(REMOTE_MEDIA_CACHE.MEDIA_ID, media.mediaId())
                        .set(REMOTE_MEDIA_CACHE.MEDIA_TYPE, media.contentType())
                        .set(REMOTE_MEDIA_CACHE.MEDIA_LENGTH, media.length())
                        .set(REMOTE_MEDIA_CACHE.UPLOAD_NAME, media.uploadName().orElse(null))
                        .set(REMOTE_MEDIA_CACHE.FILESYSTEM_ID, media.filesystemId())
                        .set(REMOTE_MEDIA_CACHE.CREATED_TS, media.cachedAt().toEpochMilli())
                        .set(REMOTE_MEDIA_CACHE.AUTHENTICATED, media.authenticated())
                        .set(
                                REMOTE_MEDIA_CACHE.QUARANTINED_BY,
                                media.quarantinedBy().map(UserId::toString).orElse(null))
                        .onConflictDoNothing()
                        .execute())
                == 1;
    }

    /** Quarantines a cached copy so it is no longer served; false if unknown. */
    public boolean quarantine(ServerName origin, String mediaId, UserId by) {
        return db.write(tx -> tx.dsl()
                        .update(REMOTE_MEDIA_CACHE)
                        .set(REMOTE_MEDIA_CACHE.QUARANTINED_BY, by.toString())
                        .where(REMOTE_MEDIA_CACHE.MEDIA_ORIGIN.eq(origin.toString()))
                        .and(REMOTE_MEDIA_CACHE.MEDIA_ID.eq(mediaId))
                        .execute())
                == 1;
    }

    /** Records a thumbnail of a cached copy ({@code mediaId} is its filesystem id); an existing row is kept. */
    public void recordThumbnail(MediaThumbnail thumbnail) {
        long now = clock.nowMillis();
        db.update(tx -> tx.dsl()
                .insertInto(REMOTE_MEDIA_THUMBNAILS)
                .set(REMOTE_MEDIA_THUMBNAILS.FILESYSTEM_ID, thumbnail.mediaId())
                .set(REMOTE_MEDIA_THUMBNAILS.WIDTH, thumbnail.width())
                .set(REMOTE_MEDIA_THUMBNAILS.HEIGHT, thumbnail.height())
                .set(REMOTE_MEDIA_THUMBNAILS.METHOD, thumbnail.method())
                .set(REMOTE_MEDIA_THUMBNAILS.CONTENT_TYPE, thumbnail.contentType())
                .set(REMOTE_MEDIA_THUMBNAILS.LENGTH, thumbnail.length())
                .set(REMOTE_MEDIA_THUMBNAILS.CREATED_TS, now)
                .onConflictDoNothing()
                .execute());
    }

    /** The thumbnails made so far of the cached copy stored under {@code filesystemId}. */
    public List<MediaThumbnail> thumbnails(String filesystemId) {
        return db.read(tx -> tx.dsl()
                .selectFrom(REMOTE_MEDIA_THUMBNAILS)
                .where(REMOTE_MEDIA_THUMBNAILS.FILESYSTEM_ID.eq(filesystemId))
                .orderBy(REMOTE_MEDIA_THUMBNAILS.WIDTH, REMOTE_MEDIA_THUMBNAILS.HEIGHT, REMOTE_MEDIA_THUMBNAILS.METHOD)
                .fetch(r -> new MediaThumbnail(
                        r.getFilesystemId(),
                        r.getWidth(),
                        r.getHeight(),
                        r.getMethod(),
                        r.getContentType(),
                        r.getLength())));
    }

    private static RemoteMedia toMedia(RemoteMediaCacheRecord r) {
        return new RemoteMedia(
                ServerName.parse(r.getMediaOrigin()),
                r.getMediaId(),
                r.getMediaType(),
                r.getMediaLength(),
                Optional.ofNullable(r.getUploadName()),
                r.getFilesystemId(),
                Instant.ofEpochMilli(r.getCreatedTs()),
                Boolean.TRUE.equals(r.getAuthenticated()),
                Optional.ofNullable(r.getQuarantinedBy()).map(UserId::parse));
    }
}
