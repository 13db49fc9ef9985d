package dev.myelin.storage.room;

import static dev.myelin.storage.schema.Tables.ACCOUNT_DATA;
import static dev.myelin.storage.schema.Tables.APPSERVICE_ROOM_LIST;
import static dev.myelin.storage.schema.Tables.CURRENT_STATE_EVENTS;
import static dev.myelin.storage.schema.Tables.EVENTS;
import static dev.myelin.storage.schema.Tables.EVENT_AUTH;
import static dev.myelin.storage.schema.Tables.EVENT_BACKWARD_EXTREMITIES;
import static dev.myelin.storage.schema.Tables.EVENT_EDGES;
import static dev.myelin.storage.schema.Tables.EVENT_FORWARD_EXTREMITIES;
import static dev.myelin.storage.schema.Tables.EVENT_RELATIONS;
import static dev.myelin.storage.schema.Tables.EVENT_REPORTS;
import static dev.myelin.storage.schema.Tables.EVENT_TO_STATE_GROUPS;
import static dev.myelin.storage.schema.Tables.EVENT_TXN_IDS;
import static dev.myelin.storage.schema.Tables.FEDERATION_OUTBOX;
import static dev.myelin.storage.schema.Tables.FORGOTTEN_ROOMS;
import static dev.myelin.storage.schema.Tables.NOTIFICATIONS;
import static dev.myelin.storage.schema.Tables.RECEIPTS;
import static dev.myelin.storage.schema.Tables.REMOTE_INVITES;
import static dev.myelin.storage.schema.Tables.REMOTE_KNOCKS;
import static dev.myelin.storage.schema.Tables.ROOMS;
import static dev.myelin.storage.schema.Tables.ROOM_ALIASES;
import static dev.myelin.storage.schema.Tables.ROOM_STATS;
import static dev.myelin.storage.schema.Tables.ROOM_TAGS;
import static dev.myelin.storage.schema.Tables.SERVER_NOTICE_ROOMS;
import static dev.myelin.storage.schema.Tables.STATE_GROUPS;
import static dev.myelin.storage.schema.Tables.STATE_GROUP_ENTRIES;

import dev.myelin.core.id.RoomId;
import dev.myelin.core.id.ServerName;
import dev.myelin.storage.Database;
import dev.myelin.storage.event.EventStore;
import dev.myelin.storage.event.EventTxnIdStore;
import dev.myelin.storage.event.RoomPosition;
import dev.myelin.storage.relation.RelationStore;
import dev.myelin.storage.search.EventSearchStore;
import dev.myelin.storage.state.StateStore;
import java.util.List;
import org.jooq.Condition;
import org.jooq.impl.DSL;

/**
 * Deletes a room's data, or the older part of its history, from the database in many small
 * transactions: each chunk holds the writer (SQLite's only write connection) only for a moment, so
 * that sends in other rooms go on while a room of a hundred thousand events is purged. Every cache
 * over the deleted rows is invalidated as they go.
 */
public final class RoomPurger {
    private final Database db;
    private final int chunkSize;
    private final EventSearchStore search;

    /** A purger deleting {@code chunkSize} events per transaction. */
    public RoomPurger(Database db, int chunkSize) {
        if (chunkSize < 1) {
            throw new IllegalArgumentException("chunkSize must be positive");
        }
        this.db = db;
        this.chunkSize = chunkSize;
        this.search = new EventSearchStore(db);
    }

    /**
     * Deletes every row of {@code room}: first what makes it a known room (its record, current state,
     * aliases, directory listing, receipts, ...), in one transaction, so that it is gone for readers at
     * once; then its events and state groups, chunk by chunk. Returns how many events were deleted.
     */
    public long purgeRoom(RoomId room) {
        String id = room.value();
        db.update(tx -> {
            var dsl = tx.dsl();
            dsl.deleteFrom(ROOMS).where(ROOMS.ROOM_ID.eq(id)).execute();
            dsl.deleteFrom(ROOM_STATS).where(ROOM_STATS.ROOM_ID.eq(id)).execute();
            dsl.deleteFrom(CURRENT_STATE_EVENTS)
                    .where(CURRENT_STATE_EVENTS.ROOM_ID.eq(id))
                    .execute();
            dsl.deleteFrom(EVENT_FORWARD_EXTREMITIES)
                    .where(EVENT_FORWARD_EXTREMITIES.ROOM_ID.eq(id))
                    .execute();
            dsl.deleteFrom(EVENT_BACKWARD_EXTREMITIES)
                    .where(EVENT_BACKWARD_EXTREMITIES.ROOM_ID.eq(id))
                    .execute();
            dsl.deleteFrom(RECEIPTS).where(RECEIPTS.ROOM_ID.eq(id)).execute();
            dsl.deleteFrom(ROOM_ALIASES).where(ROOM_ALIASES.ROOM_ID.eq(id)).execute();
            dsl.deleteFrom(FORGOTTEN_ROOMS)
                    .where(FORGOTTEN_ROOMS.ROOM_ID.eq(id))
                    .execute();
            dsl.deleteFrom(ROOM_TAGS).where(ROOM_TAGS.ROOM_ID.eq(id)).execute();
            dsl.deleteFrom(ACCOUNT_DATA).where(ACCOUNT_DATA.ROOM_ID.eq(id)).execute();
            dsl.deleteFrom(APPSERVICE_ROOM_LIST)
                    .where(APPSERVICE_ROOM_LIST.ROOM_ID.eq(id))
                    .execute();
            dsl.deleteFrom(FEDERATION_OUTBOX)
                    .where(FEDERATION_OUTBOX.ROOM_ID.eq(id))
                    .execute();
            dsl.deleteFrom(EVENT_REPORTS).where(EVENT_REPORTS.ROOM_ID.eq(id)).execute();
            dsl.deleteFrom(REMOTE_INVITES).where(REMOTE_INVITES.ROOM_ID.eq(id)).execute();
            dsl.deleteFrom(REMOTE_KNOCKS).where(REMOTE_KNOCKS.ROOM_ID.eq(id)).execute();
            // a user's server notices room that is gone: the next notice makes a new one
            dsl.deleteFrom(SERVER_NOTICE_ROOMS)
                    .where(SERVER_NOTICE_ROOMS.ROOM_ID.eq(id))
                    .execute();
            db.invalidateOnCommit(tx, RoomStore.CACHE, List.of(id));
            db.invalidateOnCommit(tx, StateStore.CURRENT_STATE, List.of(id));
            db.invalidateOnCommit(tx, StateStore.ROOMS_FOR_USER, List.of());
            db.invalidateOnCommit(tx, EventStore.ROOM_HISTORY, List.of(id));
        });
        long deleted = 0;
        for (int n; (n = deleteEventChunk(room, EVENTS.ROOM_ID.eq(id))) > 0; ) {
            deleted += n;
            Thread.yield(); // the writer is free between chunks: let waiting writers have it
        }
        while (deleteStateGroupChunk(id) > 0) {
            Thread.yield();
        }
        // the newest group of the database, if it was this room's, stays as a bare high-water mark
        db.update(tx -> {
            tx.dsl()
                    .deleteFrom(STATE_GROUP_ENTRIES)
                    .where(STATE_GROUP_ENTRIES.STATE_GROUP.in(
                            DSL.select(STATE_GROUPS.ID).from(STATE_GROUPS).where(STATE_GROUPS.ROOM_ID.eq(id))))
                    .execute();
            tx.dsl()
                    .update(STATE_GROUPS)
                    .set(STATE_GROUPS.ROOM_ID, "")
                    .set(STATE_GROUPS.EVENT_ID, "")
                    .where(STATE_GROUPS.ROOM_ID.eq(id))
                    .execute();
        });
        db.update(tx -> db.invalidateOnCommit(tx, RelationStore.SUMMARY_CACHE, List.of()));
        return deleted;
    }

    /**
     * Deletes the room's timeline events before {@code upTo}, chunk by chunk, except the forward
     * extremities (the room's latest events). State events, which the state of later events and the
     * current state are made of, and, unless {@code deleteLocal}, the events of {@code local}'s users
     * are kept but leave the timeline, as outliers (as Synapse keeps them: other servers may still ask
     * for them by id). Returns how many events were deleted or hidden.
     */
    public long purgeHistory(RoomId room, RoomPosition upTo, boolean deleteLocal, ServerName local) {
        Condition before = EVENTS.TOPOLOGICAL_ORDERING
                .lt(upTo.topological())
                .or(EVENTS.TOPOLOGICAL_ORDERING.eq(upTo.topological()).and(EVENTS.STREAM_ORDERING.lt(upTo.stream())));
        Condition inRange = EVENTS.ROOM_ID
                .eq(room.value())
                .and(before)
                .and(EVENTS.EVENT_ID.notIn(DSL.select(EVENT_FORWARD_EXTREMITIES.EVENT_ID)
                        .from(EVENT_FORWARD_EXTREMITIES)
                        .where(EVENT_FORWARD_EXTREMITIES.ROOM_ID.eq(room.value()))));
        Condition which = inRange.and(EVENTS.STATE_KEY.isNull());
        Condition localSender = EVENTS.SENDER.endsWith(":" + local);
        long deleted = 0;
        for (int n; (n = deleteEventChunk(room, deleteLocal ? which : which.and(localSender.not()))) > 0; ) {
            deleted += n;
            Thread.yield();
        }
        // state events stay stored (the state of later events is made of them) but leave the
        // timeline, so that a sync shows them as the room's state rather than as history
        Condition hide = inRange.and(EVENTS.OUTLIER.isFalse())
                .and(
                        deleteLocal
                                ? EVENTS.STATE_KEY.isNotNull()
                                : EVENTS.STATE_KEY.isNotNull().or(localSender));
        for (int n; (n = hideEventChunk(hide)) > 0; ) {
            deleted += n;
            Thread.yield();
        }
        if (deleted > 0) {
            db.update(tx -> {
                db.invalidateOnCommit(tx, EventStore.ROOM_HISTORY, List.of(room.value()));
                db.invalidateOnCommit(tx, RelationStore.SUMMARY_CACHE, List.of());
            });
        }
        return deleted;
    }

    /** Turns up to a chunk of the events {@code which} selects into outliers, out of the timeline. */
    private int hideEventChunk(Condition which) {
        return db.write(tx -> {
            List<String> ids = tx.dsl()
                    .select(EVENTS.EVENT_ID)
                    .from(EVENTS)
                    .where(which)
                    .orderBy(EVENTS.STREAM_ORDERING)
                    .limit(chunkSize)
                    .fetch(EVENTS.EVENT_ID);
            if (ids.isEmpty()) {
                return 0;
            }
            tx.dsl()
                    .update(EVENTS)
                    .set(EVENTS.OUTLIER, true)
                    .where(EVENTS.EVENT_ID.in(ids))
                    .execute();
            // out of the timeline, out of search
            search.forget(tx, ids);
            db.invalidateOnCommit(tx, EventStore.EVENT_CACHE, ids);
            return ids.size();
        });
    }

    /** Deletes up to a chunk of the events {@code which} selects, with the rows keyed by their ids. */
    private int deleteEventChunk(RoomId room, Condition which) {
        return db.write(tx -> {
            var dsl = tx.dsl();
            List<String> ids = dsl.select(EVENTS.EVENT_ID)
                    .from(EVENTS)
                    .where(which)
                    .orderBy(EVENTS.STREAM_ORDERING)
                    .limit(chunkSize)
                    .fetch(EVENTS.EVENT_ID);
            if (ids.isEmpty()) {
                return 0;
            }
            dsl.deleteFrom(EVENT_AUTH).where(EVENT_AUTH.EVENT_ID.in(ids)).execute();
            dsl.deleteFrom(EVENT_EDGES).where(EVENT_EDGES.EVENT_ID.in(ids)).execute();
            dsl.deleteFrom(EVENT_TO_STATE_GROUPS)
                    .where(EVENT_TO_STATE_GROUPS.EVENT_ID.in(ids))
                    .execute();
            dsl.deleteFrom(EVENT_RELATIONS)
                    .where(EVENT_RELATIONS.EVENT_ID.in(ids))
                    .execute();
            dsl.deleteFrom(EVENT_TXN_IDS).where(EVENT_TXN_IDS.EVENT_ID.in(ids)).execute();
            search.forget(tx, ids);
            dsl.deleteFrom(NOTIFICATIONS)
                    .where(NOTIFICATIONS.ROOM_ID.eq(room.value()), NOTIFICATIONS.EVENT_ID.in(ids))
                    .execute();
            dsl.deleteFrom(EVENTS).where(EVENTS.EVENT_ID.in(ids)).execute();
            db.invalidateOnCommit(tx, EventStore.EVENT_CACHE, ids);
            db.invalidateOnCommit(tx, EventTxnIdStore.CACHE, ids);
            return ids.size();
        });
    }

    /**
     * Deletes up to a chunk of the room's state groups, except the newest group of the whole
     * database: on SQLite the next group id is the largest plus one, and a reused id would meet the
     * old group's contents in the state group cache.
     */
    private int deleteStateGroupChunk(String room) {
        return db.write(tx -> {
            List<Long> groups = tx.dsl()
                    .select(STATE_GROUPS.ID)
                    .from(STATE_GROUPS)
                    .where(
                            STATE_GROUPS.ROOM_ID.eq(room),
                            STATE_GROUPS.ID.lt(
                                    DSL.select(DSL.max(STATE_GROUPS.ID)).from(STATE_GROUPS)))
                    .limit(chunkSize)
                    .fetch(STATE_GROUPS.ID);
            if (groups.isEmpty()) {
                return 0;
            }
            tx.dsl()
                    .deleteFrom(STATE_GROUP_ENTRIES)
                    .where(STATE_GROUP_ENTRIES.STATE_GROUP.in(groups))
                    .execute();
            tx.dsl().deleteFrom(STATE_GROUPS).where(STATE_GROUPS.ID.in(groups)).execute();
            return groups.size();
        });
    }
}
