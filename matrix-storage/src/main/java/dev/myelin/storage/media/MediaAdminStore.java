package dev.myelin.storage.media;

import static dev.myelin.storage.schema.Tables.EVENTS;
import static dev.myelin.storage.schema.Tables.LOCAL_MEDIA;
import static dev.myelin.storage.schema.Tables.LOCAL_MEDIA_THUMBNAILS;
import static dev.myelin.storage.schema.Tables.PROFILES;
import static dev.myelin.storage.schema.Tables.REMOTE_MEDIA_CACHE;

import dev.myelin.core.id.RoomId;
import dev.myelin.core.id.UserId;
import dev.myelin.storage.Database;
import dev.myelin.storage.schema.tables.records.LocalMediaRecord;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.function.Consumer;
import org.jooq.Condition;
import org.jooq.Cursor;
import org.jooq.Field;
import org.jooq.Record1;
import org.jooq.SortField;
import org.jooq.impl.DSL;
import org.jspecify.annotations.Nullable;

/**
 * What the media admin API reads and changes of the media metadata: listing a user's uploads,
 * quarantine and protection, and the rows of media being deleted (the files are the caller's).
 */
public final class MediaAdminStore {
    private final Database db;

    public MediaAdminStore(Database db) {
        this.db = db;
    }

    /** A page of {@code user}'s uploads in {@code order} ({@code backwards} reverses it), ties by media id. */
    public List<AdminMedia> uploadsBy(UserId user, MediaOrder order, boolean backwards, long offset, int limit) {
        Field<?> field = field(order);
        SortField<?> primary = backwards ? field.desc() : field.asc();
        return db.read(tx -> tx.dsl()
                .selectFrom(LOCAL_MEDIA)
                .where(LOCAL_MEDIA.USER_ID.eq(user.toString()))
                .orderBy(primary, LOCAL_MEDIA.MEDIA_ID.asc())
                .limit(limit)
                .offset(offset)
                .fetch(MediaAdminStore::toMedia));
    }

    /** How many uploads {@code user} has. */
    public long countBy(UserId user) {
        return db.read(tx -> tx.dsl().fetchCount(LOCAL_MEDIA, LOCAL_MEDIA.USER_ID.eq(user.toString())));
    }

    /** The ids of every upload of {@code user}. */
    public List<String> idsBy(UserId user) {
        return db.read(tx -> tx.dsl()
                .select(LOCAL_MEDIA.MEDIA_ID)
                .from(LOCAL_MEDIA)
                .where(LOCAL_MEDIA.USER_ID.eq(user.toString()))
                .fetch(Record1::value1));
    }

    /** One upload, if stored. */
    public Optional<AdminMedia> local(String mediaId) {
        return db.read(tx -> tx.dsl()
                .selectFrom(LOCAL_MEDIA)
                .where(LOCAL_MEDIA.MEDIA_ID.eq(mediaId))
                .fetchOptional(MediaAdminStore::toMedia));
    }

    /** When the cached copy of remote media was last served, if it was. */
    public OptionalLong remoteLastAccess(String origin, String mediaId) {
        Long ts = db.read(tx -> tx.dsl()
                .select(REMOTE_MEDIA_CACHE.LAST_ACCESS_TS)
                .from(REMOTE_MEDIA_CACHE)
                .where(REMOTE_MEDIA_CACHE.MEDIA_ORIGIN.eq(origin), REMOTE_MEDIA_CACHE.MEDIA_ID.eq(mediaId))
                .fetchOne(Record1::value1));
        return ts == null ? OptionalLong.empty() : OptionalLong.of(ts);
    }

    /** Quarantines an upload ({@code by} an admin) or lifts it ({@code by} null); false if unknown. */
    public boolean setQuarantined(String mediaId, @Nullable String by) {
        return db.write(tx -> tx.dsl()
                        .update(LOCAL_MEDIA)
                        .set(LOCAL_MEDIA.QUARANTINED_BY, by)
                        .where(LOCAL_MEDIA.MEDIA_ID.eq(mediaId))
                        .execute())
                == 1;
    }

    /** Quarantines a cached copy of remote media or lifts it; false if not cached here. */
    public boolean setRemoteQuarantined(String origin, String mediaId, @Nullable String by) {
        return db.write(tx -> tx.dsl()
                        .update(REMOTE_MEDIA_CACHE)
                        .set(REMOTE_MEDIA_CACHE.QUARANTINED_BY, by)
                        .where(REMOTE_MEDIA_CACHE.MEDIA_ORIGIN.eq(origin), REMOTE_MEDIA_CACHE.MEDIA_ID.eq(mediaId))
                        .execute())
                == 1;
    }

    /** Protects an upload from quarantine by room or uploader, or lifts that; false if unknown. */
    public boolean setProtected(String mediaId, boolean safe) {
        return db.write(tx -> tx.dsl()
                        .update(LOCAL_MEDIA)
                        .set(LOCAL_MEDIA.SAFE_FROM_QUARANTINE, safe)
                        .where(LOCAL_MEDIA.MEDIA_ID.eq(mediaId))
                        .execute())
                == 1;
    }

    /** Quarantines those of {@code mediaIds} that are stored and not protected; how many. */
    public int quarantineUnprotected(Collection<String> mediaIds, String by) {
        if (mediaIds.isEmpty()) {
            return 0;
        }
        return db.write(tx -> tx.dsl()
                .update(LOCAL_MEDIA)
                .set(LOCAL_MEDIA.QUARANTINED_BY, by)
                .where(LOCAL_MEDIA.MEDIA_ID.in(mediaIds), LOCAL_MEDIA.SAFE_FROM_QUARANTINE.isFalse())
                .execute());
    }

    /** Quarantines every upload of {@code user} that is not protected; how many. */
    public int quarantineUploadsBy(UserId user, String by) {
        return db.write(tx -> tx.dsl()
                .update(LOCAL_MEDIA)
                .set(LOCAL_MEDIA.QUARANTINED_BY, by)
                .where(LOCAL_MEDIA.USER_ID.eq(user.toString()), LOCAL_MEDIA.SAFE_FROM_QUARANTINE.isFalse())
                .execute());
    }

    /**
     * Uploads last served (or, never served, uploaded) before {@code beforeTs} and larger than
     * {@code sizeGt} bytes, protected ones excepted; with {@code keepProfiles}, also those that are
     * a user's avatar ({@code mxcPrefix} + media id is what profiles hold).
     */
    public List<String> deletable(long beforeTs, long sizeGt, boolean keepProfiles, String mxcPrefix) {
        Condition condition = DSL.coalesce(LOCAL_MEDIA.LAST_ACCESS_TS, LOCAL_MEDIA.CREATED_TS)
                .lt(beforeTs)
                .and(LOCAL_MEDIA.MEDIA_LENGTH.gt(sizeGt))
                .and(LOCAL_MEDIA.SAFE_FROM_QUARANTINE.isFalse());
        if (keepProfiles) {
            condition = condition.andNotExists(DSL.selectOne()
                    .from(PROFILES)
                    .where(PROFILES.AVATAR_URL.eq(DSL.inline(mxcPrefix).concat(LOCAL_MEDIA.MEDIA_ID))));
        }
        Condition where = condition;
        return db.read(tx -> tx.dsl()
                .select(LOCAL_MEDIA.MEDIA_ID)
                .from(LOCAL_MEDIA)
                .where(where)
                .orderBy(LOCAL_MEDIA.MEDIA_ID)
                .fetch(Record1::value1));
    }

    /** Deletes the rows of an upload and of its thumbnails; false if it was not stored. */
    public boolean delete(String mediaId) {
        return db.write(tx -> {
            tx.dsl()
                    .deleteFrom(LOCAL_MEDIA_THUMBNAILS)
                    .where(LOCAL_MEDIA_THUMBNAILS.MEDIA_ID.eq(mediaId))
                    .execute();
            return tx.dsl()
                            .deleteFrom(LOCAL_MEDIA)
                            .where(LOCAL_MEDIA.MEDIA_ID.eq(mediaId))
                            .execute()
                    == 1;
        });
    }

    /** Hands the JSON of each unredacted event of {@code room} to {@code json}, oldest first. */
    public void roomEvents(RoomId room, Consumer<String> json) {
        db.read(tx -> {
            try (Cursor<Record1<String>> cursor = tx.dsl()
                    .select(EVENTS.JSON)
                    .from(EVENTS)
                    .where(EVENTS.ROOM_ID.eq(room.value()), EVENTS.REDACTED_BY.isNull())
                    .orderBy(EVENTS.STREAM_ORDERING)
                    .fetchSize(500)
                    .fetchLazy()) {
                for (Record1<String> row : cursor) {
                    json.accept(row.value1());
                }
            }
            return null;
        });
    }

    private static Field<?> field(MediaOrder order) {
        return switch (order) {
            case MEDIA_ID -> LOCAL_MEDIA.MEDIA_ID;
            case UPLOAD_NAME -> LOCAL_MEDIA.UPLOAD_NAME;
            case CREATED_TS -> LOCAL_MEDIA.CREATED_TS;
            case LAST_ACCESS_TS -> LOCAL_MEDIA.LAST_ACCESS_TS;
            case MEDIA_LENGTH -> LOCAL_MEDIA.MEDIA_LENGTH;
            case MEDIA_TYPE -> LOCAL_MEDIA.MEDIA_TYPE;
            case QUARANTINED_BY -> LOCAL_MEDIA.QUARANTINED_BY;
            case SAFE_FROM_QUARANTINE -> LOCAL_MEDIA.SAFE_FROM_QUARANTINE;
        };
    }

    private static AdminMedia toMedia(LocalMediaRecord r) {
        Long lastAccess = r.getLastAccessTs();
        return new AdminMedia(
                r.getMediaId(),
                r.getMediaType(),
                r.getMediaLength(),
                Optional.ofNullable(r.getUploadName()),
                r.getUserId(),
                r.getCreatedTs(),
                lastAccess == null ? OptionalLong.empty() : OptionalLong.of(lastAccess),
                Optional.ofNullable(r.getQuarantinedBy()),
                Boolean.TRUE.equals(r.getSafeFromQuarantine()),
                Boolean.TRUE.equals(r.getAuthenticated()));
    }
}
