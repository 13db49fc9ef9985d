package dev.myelin.storage.device;

import static dev.myelin.storage.schema.Tables.DEVICE_LIST_CHANGES;

import dev.myelin.core.cache.StreamChangeCache;
import dev.myelin.core.id.DeviceId;
import dev.myelin.core.id.UserId;
import dev.myelin.storage.Database;
import dev.myelin.storage.Transaction;
import dev.myelin.storage.stream.ChangedEntities;
import dev.myelin.storage.stream.Stream;
import dev.myelin.storage.stream.StreamIds;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.jooq.Condition;

/**
 * The device list change log: which users' device lists (devices or their keys) changed at which position
 * of the {@link Stream#DEVICE_LISTS} stream, for {@code device_lists.changed} in /sync and
 * {@code /keys/changes}.
 */
public final class DeviceListStore {
    /** The {@code device_id} recorded when a user's cross-signing keys or signatures changed. */
    static final String CROSS_SIGNING = "*cross-signing*";
    /**
     * The start of the {@code device_id} recorded for a change that one user alone is shown, followed
     * by that user's id: a new user-signing key (shown to its owner), a signature by a user-signing
     * key on another user's master key (shown to the signer).
     */
    static final String SEEN_BY = "*seen-by*";

    private final Database db;
    private final StreamIds streams;

    /**
     * Creates the store.
     *
     * @param db the database
     * @param streams the stream positions it allocates from
     */
    public DeviceListStore(Database db, StreamIds streams) {
        this.db = db;
        this.streams = streams;
    }

    /** Records that {@code device} of {@code user} changed; returns the position. */
    public long recordChange(UserId user, DeviceId device) {
        return db.write(tx -> recordChange(tx, user, device));
    }

    /** Records, inside the write transaction {@code tx}, that {@code device} of {@code user} changed. */
    public long recordChange(Transaction tx, UserId user, DeviceId device) {
        return record(tx, user, device.value());
    }

    /**
     * Records that {@code user}'s device list changed as a whole (another server's user, whose
     * update names a device of theirs that need not fit this server's grammar); returns the
     * position.
     */
    public long recordUserChange(UserId user) {
        return db.write(tx -> record(tx, user, CROSS_SIGNING));
    }

    /**
     * Records, inside the write transaction {@code tx}, that {@code user}'s cross-signing keys (or the
     * signatures on them) changed.
     */
    public long recordCrossSigningChange(Transaction tx, UserId user) {
        return record(tx, user, CROSS_SIGNING);
    }

    /**
     * Records, inside the write transaction {@code tx}, a change of {@code user}'s keys that only
     * {@code viewer} is shown (their own user-signing key, or their signature on {@code user}'s master
     * key): it is reported to {@code viewer} alone, whether or not they share a room.
     */
    public long recordChangeSeenBy(Transaction tx, UserId user, UserId viewer) {
        return record(tx, user, SEEN_BY + viewer);
    }

    /** The change cache's key: the user for changes everyone sees, the viewer for changes only they see. */
    private static String changeKey(UserId user, String what) {
        return what.startsWith(SEEN_BY) ? what : user.toString();
    }

    private long record(Transaction tx, UserId user, String what) {
        long id = streams.allocate(tx, Stream.DEVICE_LISTS);
        streams.recordChange(ChangedEntities.DEVICE_LISTS, changeKey(user, what), id);
        tx.dsl()
                .insertInto(DEVICE_LIST_CHANGES)
                .set(DEVICE_LIST_CHANGES.STREAM_ID, id)
                .set(DEVICE_LIST_CHANGES.USER_ID, user.toString())
                .set(DEVICE_LIST_CHANGES.DEVICE_ID, what)
                .onConflictDoNothing()
                .execute();
        return id;
    }

    /** Which of {@code users} changed after {@code fromStreamId} (up to the committed position), sorted. */
    public List<UserId> usersChangedSince(Collection<UserId> users, long fromStreamId) {
        return usersChangedBetween(users, fromStreamId, Long.MAX_VALUE);
    }

    /**
     * Which of {@code users} changed after {@code fromStreamId} and up to {@code toStreamId} (and the committed
     * position) in ways everyone sees, sorted.
     */
    public List<UserId> usersChangedBetween(Collection<UserId> users, long fromStreamId, long toStreamId) {
        return changedBetween(Optional.empty(), users, fromStreamId, toStreamId);
    }

    /**
     * Which users changed after {@code fromStreamId} and up to {@code toStreamId}, as {@code viewer}
     * learns of it: those of {@code users} with a change everyone sees, and any user with a change only
     * {@code viewer} is shown. Sorted.
     */
    public List<UserId> usersChangedBetween(
            UserId viewer, Collection<UserId> users, long fromStreamId, long toStreamId) {
        return changedBetween(Optional.of(viewer), users, fromStreamId, toStreamId);
    }

    private List<UserId> changedBetween(
            Optional<UserId> viewer, Collection<UserId> users, long fromStreamId, long toStreamId) {
        long upTo = Math.min(toStreamId, streams.currentPosition(Stream.DEVICE_LISTS));
        if (upTo <= fromStreamId) {
            return List.of();
        }
        StreamChangeCache<String> changed = streams.changes(ChangedEntities.DEVICE_LISTS);
        List<String> ids = users.stream()
                .map(UserId::toString)
                .filter(user -> changed.hasChangedSince(user, fromStreamId))
                .toList();
        boolean seenByViewer = viewer.isPresent() && changed.hasChangedSince(SEEN_BY + viewer.get(), fromStreamId);
        if (ids.isEmpty() && !seenByViewer) {
            return List.of();
        }
        Condition everyoneSees =
                DEVICE_LIST_CHANGES.USER_ID.in(ids).and(DEVICE_LIST_CHANGES.DEVICE_ID.notLike(SEEN_BY + "%"));
        Condition seen = viewer.map(v -> everyoneSees.or(DEVICE_LIST_CHANGES.DEVICE_ID.eq(SEEN_BY + v)))
                .orElse(everyoneSees);
        return db.read(tx -> tx.dsl()
                .selectDistinct(DEVICE_LIST_CHANGES.USER_ID)
                .from(DEVICE_LIST_CHANGES)
                .where(seen, DEVICE_LIST_CHANGES.STREAM_ID.gt(fromStreamId), DEVICE_LIST_CHANGES.STREAM_ID.le(upTo))
                .orderBy(DEVICE_LIST_CHANGES.USER_ID)
                .fetch(r -> UserId.parse(r.value1())));
    }

    /**
     * The users with a change after {@code fromStreamId} that everyone sees (perhaps not yet committed),
     * from memory; empty when that reaches back further than this process remembers.
     */
    public Optional<Set<UserId>> usersWithChangesSince(long fromStreamId) {
        return streams.changes(ChangedEntities.DEVICE_LISTS)
                .changedSince(fromStreamId)
                .map(keys -> {
                    Set<UserId> users = new HashSet<>();
                    for (String key : keys) {
                        if (!key.startsWith(SEEN_BY) && UserId.isValid(key)) {
                            users.add(UserId.parse(key));
                        }
                    }
                    return users;
                });
    }

    /**
     * The committed position of the device list stream.
     *
     * @return the position readers may read up to
     */
    public long currentPosition() {
        return streams.currentPosition(Stream.DEVICE_LISTS);
    }
}
