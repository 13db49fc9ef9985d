package dev.myelin.storage.event;

import static dev.myelin.storage.schema.Tables.EVENTS;
import static dev.myelin.storage.schema.Tables.EVENT_AUTH;
import static dev.myelin.storage.schema.Tables.EVENT_BACKWARD_EXTREMITIES;
import static dev.myelin.storage.schema.Tables.EVENT_EDGES;
import static dev.myelin.storage.schema.Tables.EVENT_FORWARD_EXTREMITIES;

import dev.myelin.core.cache.StreamChangeCache;
import dev.myelin.core.event.Pdu;
import dev.myelin.core.id.EventId;
import dev.myelin.core.id.RoomId;
import dev.myelin.core.id.UserId;
import dev.myelin.core.room.RoomVersion;
import dev.myelin.core.room.RoomVersions;
import dev.myelin.storage.Database;
import dev.myelin.storage.StorageException;
import dev.myelin.storage.Transaction;
import dev.myelin.storage.internal.Json;
import dev.myelin.storage.schema.tables.records.EventsRecord;
import dev.myelin.storage.stream.ChangedEntities;
import dev.myelin.storage.stream.Stream;
import dev.myelin.storage.stream.StreamIds;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import org.jooq.Condition;
import org.jooq.impl.DSL;

/**
 * Reads persisted events: by id, along the events stream (for /sync) and along a room's topological order
 * (for /messages). Writes go through {@link dev.myelin.storage.persist.EventPersister}. Readers never see past
 * {@link StreamIds#currentPosition} of the events stream, so an event whose transaction is still in flight
 * is not skipped by a client that syncs meanwhile.
 */
public final class EventStore {
    private final Database db;
    private final StreamIds streams;
    private final EventCache cache;
    private final RecentRoomEvents recent;

    /** The cache of parsed events: invalidate an event id under this name whenever its row changes. */
    public static final String EVENT_CACHE = EventCache.NAME;

    /**
     * Invalidated with a room id when events are added to the room's past (backfill): caches of what
     * a room's history holds drop that room.
     */
    public static final String ROOM_HISTORY = "room_history";

    /** Ids per query when reading many events: keeps statements well inside the engines' parameter limits. */
    private static final int MAX_IDS_PER_QUERY = 2_000;

    /**
     * Creates the store.
     *
     * @param db the database
     * @param streams the stream positions it allocates from
     */
    public EventStore(Database db, StreamIds streams) {
        this.db = db;
        this.streams = streams;
        this.cache = new EventCache(db.invalidation());
        this.recent = new RecentRoomEvents(cache, streams.changes(ChangedEntities.ROOM_EVENTS));
    }

    /** The events stream position up to which everything is committed. */
    public long currentPosition() {
        return streams.currentPosition(Stream.EVENTS);
    }

    /**
     * One stored event.
     *
     * @param event the event id
     * @return the event, if stored
     */
    public Optional<StoredEvent> get(EventId event) {
        StoredEvent cached = cache.getIfPresent(event);
        if (cached != null) {
            return Optional.of(cached);
        }
        long stamp = cache.stamp();
        return db.read(tx -> tx.dsl()
                        .selectFrom(EVENTS)
                        .where(EVENTS.EVENT_ID.eq(event.value()))
                        .fetchOptional())
                .map(r -> cache.fromRow(r, stamp));
    }

    /** The known events among {@code events}, by id. */
    public Map<EventId, StoredEvent> getAll(Collection<EventId> events) {
        Map<EventId, StoredEvent> out = new LinkedHashMap<>();
        List<String> missing = new ArrayList<>();
        for (EventId id : events) {
            StoredEvent cached = cache.getIfPresent(id);
            if (cached != null) {
                out.put(id, cached);
            } else {
                missing.add(id.value());
            }
        }
        if (missing.isEmpty()) {
            return out;
        }
        long stamp = cache.stamp();
        for (int from = 0; from < missing.size(); from += MAX_IDS_PER_QUERY) {
            List<String> ids = missing.subList(from, Math.min(missing.size(), from + MAX_IDS_PER_QUERY));
            db.read(tx -> tx.dsl()
                            .selectFrom(EVENTS)
                            .where(EVENTS.EVENT_ID.in(ids))
                            .fetch(r -> cache.fromRow(r, stamp)))
                    .forEach(e -> out.put(e.eventId(), e));
        }
        return out;
    }

    /**
     * Whether an event is stored (outliers and rejected events included).
     *
     * @param event the event id
     * @return true if stored
     */
    public boolean exists(EventId event) {
        return db.read(tx -> tx.dsl().fetchExists(EVENTS, EVENTS.EVENT_ID.eq(event.value())));
    }

    /**
     * Up to {@code limit} events with a stream ordering after {@code fromStream}, in stream order, not past
     * the committed position; outliers and rejected events are left out.
     */
    public List<StoredEvent> eventsAfter(long fromStream, int limit) {
        long stamp = cache.stamp();
        long upTo = currentPosition();
        return db.read(tx -> tx.dsl()
                .selectFrom(EVENTS)
                .where(
                        EVENTS.STREAM_ORDERING.gt(fromStream),
                        EVENTS.STREAM_ORDERING.le(upTo),
                        EVENTS.OUTLIER.isFalse(),
                        EVENTS.REJECTION_REASON.isNull())
                .orderBy(EVENTS.STREAM_ORDERING)
                .limit(limit)
                .fetch(r -> cache.fromRow(r, stamp)));
    }

    /**
     * A page of the room's timeline between {@code from} and {@code to}, for /messages. Forwards returns
     * events after {@code from} up to and including {@code to}, oldest first; backwards returns events at or
     * before {@code from} and after {@code to}, newest first. {@link EventPage#next} continues the walk.
     */
    public EventPage roomEventsBetween(
            RoomId room, RoomPosition from, RoomPosition to, int limit, Direction direction) {
        long stamp = cache.stamp();
        long upTo = currentPosition();
        var pos = DSL.row(EVENTS.TOPOLOGICAL_ORDERING, EVENTS.STREAM_ORDERING);
        Condition range = direction == Direction.FORWARDS
                ? pos.gt(from.topological(), from.stream()).and(pos.le(to.topological(), to.stream()))
                : pos.le(from.topological(), from.stream()).and(pos.gt(to.topological(), to.stream()));
        List<StoredEvent> events = db.read(tx -> tx.dsl()
                .selectFrom(EVENTS)
                .where(
                        EVENTS.ROOM_ID.eq(room.value()),
                        range,
                        EVENTS.STREAM_ORDERING.le(upTo),
                        EVENTS.OUTLIER.isFalse(),
                        EVENTS.REJECTION_REASON.isNull())
                .orderBy(
                        direction == Direction.FORWARDS
                                ? List.of(EVENTS.TOPOLOGICAL_ORDERING.asc(), EVENTS.STREAM_ORDERING.asc())
                                : List.of(EVENTS.TOPOLOGICAL_ORDERING.desc(), EVENTS.STREAM_ORDERING.desc()))
                .limit(limit)
                .fetch(r -> cache.fromRow(r, stamp)));
        RoomPosition next;
        if (events.isEmpty()) {
            next = from;
        } else if (direction == Direction.FORWARDS) {
            next = events.getLast().position();
        } else {
            next = events.getLast().position().before();
        }
        return new EventPage(events, next);
    }

    /**
     * The last {@code limit} events of {@code room} with a stream ordering after {@code fromStream} and up to
     * {@code toStream} (and the committed position), oldest first, for /sync timelines; outliers and rejected
     * events are left out. Ask for one more than needed to learn whether the range held more.
     */
    public List<StoredEvent> roomEventsByStream(RoomId room, long fromStream, long toStream, int limit) {
        if (!streams.changes(ChangedEntities.ROOM_EVENTS).hasChangedSince(room.value(), fromStream)) {
            return List.of();
        }
        long stamp = cache.stamp();
        long upTo = Math.min(toStream, currentPosition());
        Optional<List<StoredEvent>> kept = recent.find(room, fromStream, upTo, limit);
        if (kept.isPresent()) {
            return kept.get();
        }
        List<StoredEvent> newestFirst = db.read(tx -> tx.dsl()
                .selectFrom(EVENTS)
                .where(
                        EVENTS.ROOM_ID.eq(room.value()),
                        EVENTS.STREAM_ORDERING.gt(fromStream),
                        EVENTS.STREAM_ORDERING.le(upTo),
                        EVENTS.OUTLIER.isFalse(),
                        EVENTS.REJECTION_REASON.isNull())
                .orderBy(EVENTS.STREAM_ORDERING.desc())
                .limit(limit)
                .fetch(r -> cache.fromRow(r, stamp)));
        List<StoredEvent> oldestFirst = newestFirst.reversed();
        recent.offer(room, fromStream, upTo, limit, oldestFirst);
        return oldestFirst;
    }

    /**
     * The first {@code limit} events of any of {@code rooms} with a stream ordering after {@code fromStream}
     * and up to {@code toStream} (and the committed position), oldest first, for the legacy event stream,
     * which hands out a range from its start so a client that asks repeatedly catches up on all of it;
     * outliers and rejected events are left out.
     */
    public List<StoredEvent> roomsEventsAfter(Collection<RoomId> rooms, long fromStream, long toStream, int limit) {
        long stamp = cache.stamp();
        if (rooms.isEmpty() || limit <= 0) {
            return List.of();
        }
        long upTo = Math.min(toStream, currentPosition());
        StreamChangeCache<String> changed = streams.changes(ChangedEntities.ROOM_EVENTS);
        List<String> ids = rooms.stream()
                .map(RoomId::value)
                .filter(room -> changed.hasChangedSince(room, fromStream))
                .toList();
        if (ids.isEmpty()) {
            return List.of();
        }
        return db.read(tx -> tx.dsl()
                .selectFrom(EVENTS)
                .where(
                        EVENTS.ROOM_ID.in(ids),
                        EVENTS.STREAM_ORDERING.gt(fromStream),
                        EVENTS.STREAM_ORDERING.le(upTo),
                        EVENTS.OUTLIER.isFalse(),
                        EVENTS.REJECTION_REASON.isNull())
                .orderBy(EVENTS.STREAM_ORDERING)
                .limit(limit)
                .fetch(r -> cache.fromRow(r, stamp)));
    }

    /**
     * Whether who is in {@code room} may have changed after events position {@code fromStream}: a member
     * event or a state reset since (true also when that is no longer known, or not yet committed).
     */
    public boolean membershipMayHaveChanged(RoomId room, long fromStream) {
        return streams.changes(ChangedEntities.ROOM_MEMBERSHIPS).hasChangedSince(room.value(), fromStream);
    }

    /**
     * Whether a member event about {@code user} (of any room, outliers included) may have been stored
     * after events position {@code fromStream} (true also when that is no longer known).
     */
    public boolean ownMembershipMayHaveChanged(UserId user, long fromStream) {
        return streams.changes(ChangedEntities.USER_MEMBERSHIPS).hasChangedSince(user.toString(), fromStream);
    }

    /**
     * The {@code m.room.member} events whose state key is {@code stateKey} with a stream ordering after
     * {@code fromStream} and up to {@code toStream}, oldest first: how /sync learns of joins, invites and
     * leaves since a token.
     */
    public List<StoredEvent> membershipEventsBetween(String stateKey, long fromStream, long toStream) {
        if (!streams.changes(ChangedEntities.USER_MEMBERSHIPS).hasChangedSince(stateKey, fromStream)) {
            return List.of();
        }
        long stamp = cache.stamp();
        long upTo = Math.min(toStream, currentPosition());
        return db.read(tx -> tx.dsl()
                .selectFrom(EVENTS)
                .where(
                        EVENTS.STREAM_ORDERING.gt(fromStream),
                        EVENTS.STREAM_ORDERING.le(upTo),
                        EVENTS.EVENT_TYPE.eq("m.room.member"),
                        EVENTS.STATE_KEY.eq(stateKey),
                        EVENTS.OUTLIER.isFalse(),
                        EVENTS.REJECTION_REASON.isNull())
                .orderBy(EVENTS.STREAM_ORDERING)
                .fetch(r -> cache.fromRow(r, stamp)));
    }

    /**
     * The room's timeline event closest to {@code timestampMs} in {@code direction}: the first event at or
     * after it going forwards, the last event at or before it going backwards (by origin_server_ts, then
     * stream order). Outliers and rejected events are left out.
     */
    public Optional<StoredEvent> eventNearTimestamp(RoomId room, long timestampMs, Direction direction) {
        long stamp = cache.stamp();
        long upTo = currentPosition();
        boolean forwards = direction == Direction.FORWARDS;
        return db.read(tx -> tx.dsl()
                .selectFrom(EVENTS)
                .where(
                        EVENTS.ROOM_ID.eq(room.value()),
                        EVENTS.STREAM_ORDERING.le(upTo),
                        forwards ? EVENTS.ORIGIN_SERVER_TS.ge(timestampMs) : EVENTS.ORIGIN_SERVER_TS.le(timestampMs),
                        EVENTS.OUTLIER.isFalse(),
                        EVENTS.REJECTION_REASON.isNull())
                .orderBy(
                        forwards
                                ? List.of(EVENTS.ORIGIN_SERVER_TS.asc(), EVENTS.STREAM_ORDERING.asc())
                                : List.of(EVENTS.ORIGIN_SERVER_TS.desc(), EVENTS.STREAM_ORDERING.desc()))
                .limit(1)
                .fetchOptional(r -> cache.fromRow(r, stamp)));
    }

    /** The room's forward extremities: the events no other event of the room points back to yet. */
    public Set<EventId> forwardExtremities(RoomId room) {
        return db.read(tx -> new TreeSet<>(tx.dsl()
                .select(EVENT_FORWARD_EXTREMITIES.EVENT_ID)
                .from(EVENT_FORWARD_EXTREMITIES)
                .where(EVENT_FORWARD_EXTREMITIES.ROOM_ID.eq(room.value()))
                .fetch(r -> new EventId(r.value1()))));
    }

    /**
     * The room's backward extremities: events that timeline events cite as prev_events but that are
     * not in the timeline here (unknown, or known only as outliers), where the history held here
     * stops; at most {@code limit}, sorted.
     */
    public List<EventId> backwardExtremities(RoomId room, int limit) {
        return db.read(tx -> tx.dsl()
                .select(EVENT_BACKWARD_EXTREMITIES.EVENT_ID)
                .from(EVENT_BACKWARD_EXTREMITIES)
                .where(EVENT_BACKWARD_EXTREMITIES.ROOM_ID.eq(room.value()))
                .orderBy(EVENT_BACKWARD_EXTREMITIES.EVENT_ID)
                .limit(limit)
                .fetch(r -> new EventId(r.value1())));
    }

    /**
     * Whether one of {@code events} (of {@code room}) cites a backward extremity as a prev event:
     * a gap in the history held here lies just before it.
     */
    public boolean citesBackwardExtremity(RoomId room, Collection<EventId> events) {
        if (events.isEmpty()) {
            return false;
        }
        return db.read(tx -> tx.dsl()
                .fetchExists(tx.dsl()
                        .selectOne()
                        .from(EVENT_EDGES)
                        .join(EVENT_BACKWARD_EXTREMITIES)
                        .on(
                                EVENT_BACKWARD_EXTREMITIES.EVENT_ID.eq(EVENT_EDGES.PREV_EVENT_ID),
                                EVENT_BACKWARD_EXTREMITIES.ROOM_ID.eq(room.value()))
                        .where(EVENT_EDGES.EVENT_ID.in(
                                events.stream().map(EventId::value).toList()))));
    }

    /** The stored prev_events edges of {@code event}, sorted. */
    public List<EventId> prevEvents(EventId event) {
        return db.read(tx -> tx.dsl()
                .select(EVENT_EDGES.PREV_EVENT_ID)
                .from(EVENT_EDGES)
                .where(EVENT_EDGES.EVENT_ID.eq(event.value()))
                .orderBy(EVENT_EDGES.PREV_EVENT_ID)
                .fetch(r -> new EventId(r.value1())));
    }

    /** The stored auth_events edges of {@code event}, sorted. */
    public List<EventId> authEvents(EventId event) {
        return db.read(tx -> tx.dsl()
                .select(EVENT_AUTH.AUTH_ID)
                .from(EVENT_AUTH)
                .where(EVENT_AUTH.EVENT_ID.eq(event.value()))
                .orderBy(EVENT_AUTH.AUTH_ID)
                .fetch(r -> new EventId(r.value1())));
    }

    /** Records that {@code redaction} redacts {@code target}. The stored JSON is left for a pruning job. */
    public boolean markRedacted(EventId target, EventId redaction) {
        return db.write(tx -> {
                    invalidateOnWrite(db, tx, target);
                    return tx.dsl()
                            .update(EVENTS)
                            .set(EVENTS.REDACTED_BY, redaction.value())
                            .where(EVENTS.EVENT_ID.eq(target.value()), EVENTS.REDACTED_BY.isNull())
                            .execute();
                })
                == 1;
    }

    /**
     * Drops {@code event} from the event cache now and again once {@code tx} commits: a reader that parsed
     * the old row in between does not keep it (see {@link EventCache}).
     */
    public static void invalidateOnWrite(Database db, Transaction tx, EventId event) {
        db.invalidateOnCommit(tx, EVENT_CACHE, List.of(event.value()));
    }

    static StoredEvent toStored(EventsRecord r) {
        RoomVersion version = RoomVersions.find(r.getRoomVersion())
                .orElseThrow(() -> new StorageException("event " + r.getEventId() + " is in room version "
                        + r.getRoomVersion() + ", unknown to this code"));
        Pdu pdu = Pdu.of(version, Json.readObject(r.getJson()), new EventId(r.getEventId()));
        return new StoredEvent(
                pdu,
                r.getStreamOrdering(),
                r.getTopologicalOrdering(),
                r.getOutlier(),
                Optional.ofNullable(r.getRejectionReason()),
                Optional.ofNullable(r.getRedactedBy()).map(EventId::new));
    }
}
