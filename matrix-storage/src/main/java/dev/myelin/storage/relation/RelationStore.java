package dev.myelin.storage.relation;

import static dev.myelin.storage.schema.Tables.EVENTS;
import static dev.myelin.storage.schema.Tables.EVENT_RELATIONS;
import static org.jooq.impl.DSL.count;
import static org.jooq.impl.DSL.max;

import com.fasterxml.jackson.databind.JsonNode;
import dev.myelin.core.cache.StampedCache;
import dev.myelin.core.event.Pdu;
import dev.myelin.core.id.EventId;
import dev.myelin.core.id.RoomId;
import dev.myelin.core.id.UserId;
import dev.myelin.storage.Database;
import dev.myelin.storage.Transaction;
import dev.myelin.storage.event.Direction;
import dev.myelin.storage.event.RoomPosition;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jooq.Condition;
import org.jooq.Record;
import org.jooq.impl.DSL;
import org.jspecify.annotations.Nullable;

/**
 * The index of event relations ({@code content.m.relates_to} with a {@code rel_type} and an
 * {@code event_id}): written by {@link dev.myelin.storage.persist.EventPersister} in the transaction
 * that persists the event, and removed when the event is redacted (redaction strips
 * {@code m.relates_to}).
 *
 * @see <a href="https://spec.matrix.org/v1.19/client-server-api/#forming-relationships-between-events">Relationships</a>
 */
public final class RelationStore {
    /** The relation type of thread replies. */
    public static final String THREAD = "m.thread";

    private final Database db;

    /**
     * Creates the store.
     *
     * @param db the database
     */
    public RelationStore(Database db) {
        this.db = db;
        this.summaries = new StampedCache<>(SUMMARY_CACHE, 100_000, db.invalidation(), EventId::parse);
    }

    /** The cache name of thread summaries by root event id. */
    public static final String SUMMARY_CACHE = "thread_summaries";

    /**
     * Each root's thread summary, or the fact that it has none: every event a {@code /sync} or a page of
     * history serves asks for it.
     */
    private final StampedCache<EventId, Optional<ThreadSummary>> summaries;

    /** Drops {@code root}'s summary now and once {@code tx} commits (an empty root: every summary). */
    private void summaryChanged(Transaction tx, List<String> roots) {
        db.invalidateOnCommit(tx, SUMMARY_CACHE, roots);
    }

    /** Indexes {@code event}'s relation, if it has one; called inside the persisting transaction. */
    public void record(Transaction tx, Pdu event, long topologicalOrdering, long streamOrdering) {
        JsonNode relatesTo = event.content().path("m.relates_to");
        String relType = relatesTo.path("rel_type").asText("");
        String parent = relatesTo.path("event_id").asText("");
        if (relType.isEmpty()
                || !parent.startsWith("$")
                || parent.equals(event.eventId().value())) {
            return;
        }
        if (relType.equals(THREAD)) {
            summaryChanged(tx, List.of(parent));
        }
        tx.dsl()
                .insertInto(EVENT_RELATIONS)
                .set(EVENT_RELATIONS.EVENT_ID, event.eventId().value())
                .set(EVENT_RELATIONS.RELATES_TO_ID, parent)
                .set(EVENT_RELATIONS.RELATION_TYPE, relType)
                .set(EVENT_RELATIONS.ROOM_ID, event.roomId().value())
                .set(EVENT_RELATIONS.EVENT_TYPE, event.type())
                .set(EVENT_RELATIONS.SENDER, event.sender().toString())
                .set(EVENT_RELATIONS.TOPOLOGICAL_ORDERING, topologicalOrdering)
                .set(EVENT_RELATIONS.STREAM_ORDERING, streamOrdering)
                .onConflictDoNothing()
                .execute();
    }

    /** Drops the relation of a redacted event; called inside the persisting transaction. */
    public void forget(Transaction tx, EventId redacted) {
        // which thread the redacted event replied in is not looked up: redactions are rare
        summaryChanged(tx, List.of());
        tx.dsl()
                .deleteFrom(EVENT_RELATIONS)
                .where(EVENT_RELATIONS.EVENT_ID.eq(redacted.value()))
                .execute();
    }

    /**
     * The events relating directly to any of {@code parents}, optionally of one relation type and
     * event type, from {@code from} in {@code direction}: backwards takes events at or before it,
     * newest first; forwards events after it, oldest first.
     */
    public List<Relation> children(
            RoomId room,
            Collection<EventId> parents,
            @Nullable String relType,
            @Nullable String eventType,
            RoomPosition from,
            Direction direction,
            int limit) {
        var topo = EVENT_RELATIONS.TOPOLOGICAL_ORDERING;
        var stream = EVENT_RELATIONS.STREAM_ORDERING;
        Condition bound = direction == Direction.BACKWARDS
                ? topo.lt(from.topological()).or(topo.eq(from.topological()).and(stream.le(from.stream())))
                : topo.gt(from.topological()).or(topo.eq(from.topological()).and(stream.gt(from.stream())));
        Condition where = EVENT_RELATIONS
                .ROOM_ID
                .eq(room.value())
                .and(EVENT_RELATIONS.RELATES_TO_ID.in(
                        parents.stream().map(EventId::value).toList()))
                .and(bound);
        if (relType != null) {
            where = where.and(EVENT_RELATIONS.RELATION_TYPE.eq(relType));
        }
        if (eventType != null) {
            where = where.and(EVENT_RELATIONS.EVENT_TYPE.eq(eventType));
        }
        Condition condition = where;
        return db.read(tx -> tx.dsl()
                .selectFrom(EVENT_RELATIONS)
                .where(condition)
                .orderBy(
                        direction == Direction.BACKWARDS
                                ? List.of(topo.desc(), stream.desc())
                                : List.of(topo.asc(), stream.asc()))
                .limit(limit)
                .fetch(r -> new Relation(
                        EventId.parse(r.getEventId()),
                        EventId.parse(r.getRelatesToId()),
                        r.getRelationType(),
                        r.getEventType(),
                        r.getSender(),
                        new RoomPosition(r.getTopologicalOrdering(), r.getStreamOrdering()))));
    }

    /** The ids of the events relating directly to any of {@code parents}, at most {@code limit}. */
    public List<EventId> childIds(RoomId room, Collection<EventId> parents, int limit) {
        return db.read(tx -> tx.dsl()
                .select(EVENT_RELATIONS.EVENT_ID)
                .from(EVENT_RELATIONS)
                .where(
                        EVENT_RELATIONS.ROOM_ID.eq(room.value()),
                        EVENT_RELATIONS.RELATES_TO_ID.in(
                                parents.stream().map(EventId::value).toList()))
                .limit(limit)
                .fetch(r -> EventId.parse(r.value1())));
    }

    /** A thread root and the stream position of its latest event, for listing threads. */
    public record ThreadActivity(EventId root, long latestStream) {}

    /**
     * The room's thread roots with activity before stream position {@code before}, most recently
     * active first; only threads {@code participant} started or replied to, when given.
     */
    public List<ThreadActivity> threads(RoomId room, @Nullable UserId participant, long before, int limit) {
        var latest = max(EVENT_RELATIONS.STREAM_ORDERING);
        return db.read(tx -> {
            Condition where = EVENT_RELATIONS.ROOM_ID.eq(room.value()).and(EVENT_RELATIONS.RELATION_TYPE.eq(THREAD));
            if (participant != null) {
                String user = participant.toString();
                where = where.and(EVENT_RELATIONS
                        .RELATES_TO_ID
                        .in(DSL.select(EVENT_RELATIONS.as("mine").RELATES_TO_ID)
                                .from(EVENT_RELATIONS.as("mine"))
                                .where(
                                        EVENT_RELATIONS.as("mine").ROOM_ID.eq(room.value()),
                                        EVENT_RELATIONS.as("mine").RELATION_TYPE.eq(THREAD),
                                        EVENT_RELATIONS.as("mine").SENDER.eq(user)))
                        .or(EVENT_RELATIONS.RELATES_TO_ID.in(DSL.select(EVENTS.EVENT_ID)
                                .from(EVENTS)
                                .where(EVENTS.ROOM_ID.eq(room.value()), EVENTS.SENDER.eq(user)))));
            }
            return tx.dsl()
                    .select(EVENT_RELATIONS.RELATES_TO_ID, latest)
                    .from(EVENT_RELATIONS)
                    .where(where)
                    .groupBy(EVENT_RELATIONS.RELATES_TO_ID)
                    .having(latest.lt(before))
                    .orderBy(latest.desc())
                    .limit(limit)
                    .fetch(r -> new ThreadActivity(EventId.parse(r.value1()), r.value2()));
        });
    }

    /** The thread summaries of those of {@code roots} that have threads. */
    public Map<EventId, ThreadSummary> threadSummaries(Collection<EventId> roots) {
        Map<EventId, ThreadSummary> out = new HashMap<>();
        List<EventId> unknown = new ArrayList<>();
        for (EventId root : roots) {
            Optional<ThreadSummary> known = summaries.getIfPresent(root);
            if (known == null) {
                unknown.add(root);
            } else {
                known.ifPresent(summary -> out.put(root, summary));
            }
        }
        if (unknown.isEmpty()) {
            return out;
        }
        long stamp = summaries.stamp();
        Map<EventId, ThreadSummary> read = readThreadSummaries(unknown);
        for (EventId root : unknown) {
            summaries.put(root, Optional.ofNullable(read.get(root)), stamp);
        }
        out.putAll(read);
        return out;
    }

    private Map<EventId, ThreadSummary> readThreadSummaries(Collection<EventId> roots) {
        List<String> ids = roots.stream().map(EventId::value).toList();
        return db.read(tx -> {
            var latest = max(EVENT_RELATIONS.STREAM_ORDERING);
            var n = count();
            Map<String, Long> counts = new HashMap<>();
            Map<Long, String> rootOfLatest = new HashMap<>();
            for (Record r : tx.dsl()
                    .select(EVENT_RELATIONS.RELATES_TO_ID, n, latest)
                    .from(EVENT_RELATIONS)
                    .where(EVENT_RELATIONS.RELATES_TO_ID.in(ids), EVENT_RELATIONS.RELATION_TYPE.eq(THREAD))
                    .groupBy(EVENT_RELATIONS.RELATES_TO_ID)
                    .fetch()) {
                counts.put(r.get(EVENT_RELATIONS.RELATES_TO_ID), r.get(n).longValue());
                rootOfLatest.put(r.get(latest), r.get(EVENT_RELATIONS.RELATES_TO_ID));
            }
            Map<EventId, ThreadSummary> out = new HashMap<>();
            if (rootOfLatest.isEmpty()) {
                return out;
            }
            tx.dsl()
                    .select(EVENT_RELATIONS.STREAM_ORDERING, EVENT_RELATIONS.EVENT_ID)
                    .from(EVENT_RELATIONS)
                    .where(EVENT_RELATIONS.STREAM_ORDERING.in(rootOfLatest.keySet()))
                    .forEach(r -> {
                        String root = rootOfLatest.get(r.value1());
                        out.put(
                                EventId.parse(root),
                                new ThreadSummary(EventId.parse(root), counts.get(root), EventId.parse(r.value2())));
                    });
            return out;
        });
    }

    /** Which of {@code roots} have a thread event sent by {@code user}. */
    public List<EventId> threadsWithReplyFrom(Collection<EventId> roots, UserId user) {
        if (roots.isEmpty()) {
            return List.of();
        }
        return db.read(tx -> tx.dsl()
                .selectDistinct(EVENT_RELATIONS.RELATES_TO_ID)
                .from(EVENT_RELATIONS)
                .where(
                        EVENT_RELATIONS.RELATES_TO_ID.in(
                                roots.stream().map(EventId::value).toList()),
                        EVENT_RELATIONS.RELATION_TYPE.eq(THREAD),
                        EVENT_RELATIONS.SENDER.eq(user.toString()))
                .fetch(r -> EventId.parse(r.value1())));
    }
}
