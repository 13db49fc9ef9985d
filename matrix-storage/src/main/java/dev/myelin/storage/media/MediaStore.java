package dev.myelin.storage.media;

import static dev.myelin.storage.schema.Tables.LOCAL_MEDIA;

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

    public MediaStore(Database db, Clock clock) {
        this.db = db;
        this.clock = clock;
    }

    /** Records an upload; false if the media id is taken. */
    public boolean record(String mediaId, String contentType, long length, Optional<String> uploadName,
            UserId uploader) {
        long now = clock.nowMillis();
        return db.write(tx -> tx.dsl().insertInto(LOCAL_MEDIA)
                .set(LOCAL_MEDIA.MEDIA_ID, mediaId)
                .set(LOCAL_MEDIA.MEDIA_TYPE, contentType)
                .set(LOCAL_MEDIA.MEDIA_LENGTH, length)
                .set(LOCAL_MEDIA.UPLOAD_NAME, uploadName.orElse(null))
                .set(LOCAL_MEDIA.USER_ID, uploader.toString())
                .set(LOCAL_MEDIA.CREATED_TS, now)
                .onConflictDoNothing()
                .execute()) == 1;
    }

    public Optional<LocalMedia> get(String mediaId) {
        return db.read(tx -> tx.dsl().selectFrom(LOCAL_MEDIA).where(LOCAL_MEDIA.MEDIA_ID.eq(mediaId))
                .fetchOptional()).map(MediaStore::toMedia);
    }

    /** The user's uploads, newest first. */
    public List<LocalMedia> uploadsBy(UserId user) {
        return db.read(tx -> tx.dsl().selectFrom(LOCAL_MEDIA).where(LOCAL_MEDIA.USER_ID.eq(user.toString()))
                .orderBy(LOCAL_MEDIA.CREATED_TS.desc(), LOCAL_MEDIA.MEDIA_ID).fetch(MediaStore::toMedia));
    }

    /** Quarantines the media so it is no longer served; false if unknown. */
    public boolean quarantine(String mediaId, UserId by) {
        return db.write(tx -> tx.dsl().update(LOCAL_MEDIA).set(LOCAL_MEDIA.QUARANTINED_BY, by.toString())
                .where(LOCAL_MEDIA.MEDIA_ID.eq(mediaId)).execute()) == 1;
    }

    private static LocalMedia toMedia(LocalMediaRecord r) {
        return new LocalMedia(r.getMediaId(), r.getMediaType(), r.getMediaLength(),
                Optional.ofNullable(r.getUploadName()), UserId.parse(r.getUserId()),
                Instant.ofEpochMilli(r.getCreatedTs()), Optional.ofNullable(r.getQuarantinedBy()).map(UserId::parse));
    }
}
