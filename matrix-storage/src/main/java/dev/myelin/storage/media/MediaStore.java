package dev.myelin.storage.media;

import static dev.myelin.storage.schema.Tables.LOCAL_MEDIA;
import static dev.myelin.storage.schema.Tables.LOCAL_MEDIA_THUMBNAILS;
import static dev.myelin.storage.schema.Tables.PENDING_MEDIA;

import dev.myelin.core.id.UserId;
import dev.myelin.core.time.Clock;
import dev.myelin.storage.Database;
import dev.myelin.storage.schema.tables.records.LocalMediaRecord;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** Metadata of locally uploaded media ({@code mxc://server/mediaId}). */
public final class MediaStore {
    private final Database db;
    private final Clock clock;

    /**
     * Creates the store.
     *
     * @param db the database
     * @param clock the time source for timestamps and expiry
     */
    public MediaStore(Database db, Clock clock) {
        this.db = db;
        this.clock = clock;
    }

    /** Records an upload servable by the unauthenticated endpoints too; false if the media id is taken. */
    public boolean record(
            String mediaId, String contentType, long length, Optional<String> uploadName, UserId uploader) {
        return record(mediaId, contentType, length, uploadName, uploader, false);
    }

    /**
     * Records an upload; false if the media id is taken. A pending id of the same name (from
     * {@link #createPending}) is removed in the same transaction.
     *
     * @param authenticated whether only the authenticated endpoints may serve it
     */
    public boolean record(
            String mediaId,
            String contentType,
            long length,
            Optional<String> uploadName,
            UserId uploader,
            boolean authenticated) {
        long now = clock.nowMillis();
        return db.write(tx -> {
            boolean inserted = tx.dsl()
                            .insertInto(LOCAL_MEDIA)
                            .set(LOCAL_MEDIA.MEDIA_ID, mediaId)
                            .set(LOCAL_MEDIA.MEDIA_TYPE, contentType)
                            .set(LOCAL_MEDIA.MEDIA_LENGTH, length)
                            .set(LOCAL_MEDIA.UPLOAD_NAME, uploadName.orElse(null))
                            .set(LOCAL_MEDIA.USER_ID, uploader.toString())
                            .set(LOCAL_MEDIA.CREATED_TS, now)
                            .set(LOCAL_MEDIA.AUTHENTICATED, authenticated)
                            .onConflictDoNothing()
                            .execute()
                    == 1;
            if (inserted) {
                tx.dsl()
                        .deleteFrom(PENDING_MEDIA)
                        .where(PENDING_MEDIA.MEDIA_ID.eq(mediaId))
                        .execute();
            }
            return inserted;
        });
    }

    /**
     * Reserves a media id for {@code creator} to upload to before {@code expiresAt}, unless the
     * creator already holds {@code maxPending} unexpired reservations; ids that have expired are
     * deleted first. False when over the limit.
     */
    public boolean createPending(String mediaId, UserId creator, Instant expiresAt, int maxPending) {
        long now = clock.nowMillis();
        return db.write(tx -> {
            tx.dsl()
                    .deleteFrom(PENDING_MEDIA)
                    .where(PENDING_MEDIA.EXPIRES_TS.le(now))
                    .execute();
            int pending = tx.dsl().fetchCount(PENDING_MEDIA, PENDING_MEDIA.USER_ID.eq(creator.toString()));
            if (pending >= maxPending) {
                return false;
            }
            tx.dsl()
                    .insertInto(PENDING_MEDIA)
                    .set(PENDING_MEDIA.MEDIA_ID, mediaId)
                    .set(PENDING_MEDIA.USER_ID, creator.toString())
                    .set(PENDING_MEDIA.CREATED_TS, now)
                    .set(PENDING_MEDIA.EXPIRES_TS, expiresAt.toEpochMilli())
                    .execute();
            return true;
        });
    }

    /** A reserved id whose content has not been uploaded, expired or not. */
    public Optional<PendingMedia> pending(String mediaId) {
        return db.read(tx -> tx.dsl()
                .selectFrom(PENDING_MEDIA)
                .where(PENDING_MEDIA.MEDIA_ID.eq(mediaId))
                .fetchOptional(r -> new PendingMedia(
                        r.getMediaId(),
                        UserId.parse(r.getUserId()),
                        Instant.ofEpochMilli(r.getCreatedTs()),
                        Instant.ofEpochMilli(r.getExpiresTs()))));
    }

    /** Records a generated thumbnail; an existing row for the same size and method is kept. */
    public void recordThumbnail(MediaThumbnail thumbnail) {
        long now = clock.nowMillis();
        db.update(tx -> tx.dsl()
                .insertInto(LOCAL_MEDIA_THUMBNAILS)
                .set(LOCAL_MEDIA_THUMBNAILS.MEDIA_ID, thumbnail.mediaId())
                .set(LOCAL_MEDIA_THUMBNAILS.WIDTH, thumbnail.width())
                .set(LOCAL_MEDIA_THUMBNAILS.HEIGHT, thumbnail.height())
                .set(LOCAL_MEDIA_THUMBNAILS.METHOD, thumbnail.method())
                .set(LOCAL_MEDIA_THUMBNAILS.CONTENT_TYPE, thumbnail.contentType())
                .set(LOCAL_MEDIA_THUMBNAILS.LENGTH, thumbnail.length())
                .set(LOCAL_MEDIA_THUMBNAILS.CREATED_TS, now)
                .onConflictDoNothing()
                .execute());
    }

    /** The thumbnails generated so far for {@code mediaId}. */
    public List<MediaThumbnail> thumbnails(String mediaId) {
        return db.read(tx -> tx.dsl()
                .selectFrom(LOCAL_MEDIA_THUMBNAILS)
                .where(LOCAL_MEDIA_THUMBNAILS.MEDIA_ID.eq(mediaId))
                .orderBy(LOCAL_MEDIA_THUMBNAILS.WIDTH, LOCAL_MEDIA_THUMBNAILS.HEIGHT, LOCAL_MEDIA_THUMBNAILS.METHOD)
                .fetch(r -> new MediaThumbnail(
                        r.getMediaId(),
                        r.getWidth(),
                        r.getHeight(),
                        r.getMethod(),
                        r.getContentType(),
                        r.getLength())));
    }

    /**
     * The metadata of a local media item.
     *
     * @param mediaId the media id of its {@code mxc://} URI
     * @return the metadata, if stored
     */
    public Optional<LocalMedia> get(String mediaId) {
        return db.read(tx -> tx.dsl()
                        .selectFrom(LOCAL_MEDIA)
                        .where(LOCAL_MEDIA.MEDIA_ID.eq(mediaId))
                        .fetchOptional())
                .map(MediaStore::toMedia);
    }

    /** The user's uploads, newest first. */
    public List<LocalMedia> uploadsBy(UserId user) {
        return db.read(tx -> tx.dsl()
                .selectFrom(LOCAL_MEDIA)
                .where(LOCAL_MEDIA.USER_ID.eq(user.toString()))
                .orderBy(LOCAL_MEDIA.CREATED_TS.desc(), LOCAL_MEDIA.MEDIA_ID)
                .fetch(MediaStore::toMedia));
    }

    /** Records that the media was served at {@code atMs} (the admin API's {@code last_access_ts}). */
    public void recordAccess(String mediaId, long atMs) {
        db.update(tx -> tx.dsl()
                .update(LOCAL_MEDIA)
                .set(LOCAL_MEDIA.LAST_ACCESS_TS, atMs)
                .where(LOCAL_MEDIA.MEDIA_ID.eq(mediaId))
                .execute());
    }

    /** Quarantines the media so it is no longer served; false if unknown. */
    public boolean quarantine(String mediaId, UserId by) {
        return db.write(tx -> tx.dsl()
                        .update(LOCAL_MEDIA)
                        .set(LOCAL_MEDIA.QUARANTINED_BY, by.toString())
                        .where(LOCAL_MEDIA.MEDIA_ID.eq(mediaId))
                        .execute())
                == 1;
    }

    private static LocalMedia toMedia(LocalMediaRecord r) {
        return new LocalMedia(
                r.getMediaId(),
                r.getMediaType(),
                r.getMediaLength(),
                Optional.ofNullable(r.getUploadName()),
                UserId.parse(r.getUserId()),
                Instant.ofEpochMilli(r.getCreatedTs()),
                Optional.ofNullable(r.getQuarantinedBy()).map(UserId::parse),
                Boolean.TRUE.equals(r.getAuthenticated()));
    }
}
