package dev.myelin.storage.persist;

import static dev.myelin.storage.schema.Tables.EVENTS;
import static dev.myelin.storage.schema.Tables.EVENT_AUTH;
import static dev.myelin.storage.schema.Tables.EVENT_BACKWARD_EXTREMITIES;
import static dev.myelin.storage.schema.Tables.EVENT_EDGES;
import static dev.myelin.storage.schema.Tables.EVENT_FORWARD_EXTREMITIES;

import com.fasterxml.jackson.databind.JsonNode;
import dev.myelin.core.event.Pdu;
import dev.myelin.core.id.EventId;
import dev.myelin.core.id.RoomId;
import dev.myelin.storage.Database;
import dev.myelin.storage.StorageException;
import dev.myelin.storage.Transaction;
import dev.myelin.storage.event.ClientTransaction;
import dev.myelin.storage.event.ClientTransactionStore;
import dev.myelin.storage.event.EventStore;
import dev.myelin.storage.event.EventTxnIdStore;
import dev.myelin.storage.internal.Json;
import dev.myelin.storage.relation.RelationStore;
import dev.myelin.storage.search.EventSearchStore;
import dev.myelin.storage.state.StateKey;
import dev.myelin.storage.state.StateStore;
import dev.myelin.storage.stream.ChangedEntities;
import dev.myelin.storage.stream.Stream;
import dev.myelin.storage.stream.StreamIds;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * Persists events: the event row and JSON, its prev and auth edges, the room's forward extremities, the state
 * group after it, the room's current state and memberships, its relation and full-text index rows, and its
 * events stream position, all in one
 * transaction. A failure or crash at any point leaves none of it behind, and (see {@link StreamIds}) no
 * reader ever sees a later position before an earlier one is committed.
 *
 * <p>This is the one place where those stores are written together; the flow lives here, not in the stores.
 */
public final class EventPersister {
    private static final String MEMBER = "m.room.member";

    private final Database db;
    private final StreamIds streams;
    private final StateStore state;
    private final GroupCommitter groupCommitter;
    private final RelationStore relations;
    private final EventSearchStore search;
    private final ClientTransactionStore clientTransactions;
    private final EventTxnIdStore eventTxnIds;
    private final java.util.concurrent.atomic.LongAdder persisted = new java.util.concurrent.atomic.LongAdder();

    /**
     * A persister with a relation index of its own over {@code db}.
     *
     * @param db the database
     * @param streams the stream positions events get
     * @param state the state store written with each event
     */
    public EventPersister(Database db, StreamIds streams, StateStore state) {
        this(db, streams, state, new RelationStore(db));
    }

    /** With the relation index that events' {@code m.relates_to} is written to. */
    public EventPersister(Database db, StreamIds streams, StateStore state, RelationStore relations) {
        this.db = db;
        this.streams = streams;
        this.state = state;
        this.relations = relations;
        this.search = new EventSearchStore(db);
        this.clientTransactions = new ClientTransactionStore(db);
        this.eventTxnIds = new EventTxnIdStore(db);
        this.groupCommitter = new GroupCommitter(db, this);
    }

    /** How many new events this process committed (outliers and rejected ones included; duplicates not). */
    public long persistedEvents() {
        return persisted.sum();
    }

    /** Persists an accepted event whose state follows from its prev_events. Idempotent per event id. */
    public PersistedEvent persist(Pdu event) {
        return persist(event, EventContext.normal());
    }

    /**
     * Persists one event, atomically, returning once it is committed. Events persisted concurrently from
     * several threads are group-committed: one writer thread puts whatever has queued up into one
     * transaction (falling back to one transaction each if that fails), which is how SQLite's single writer
     * keeps up with many callers.
     */
    public PersistedEvent persist(Pdu event, EventContext context) {
        return groupCommitter.persist(event, context);
    }

    /**
     * Persists several events (in order) in one transaction, which is much faster than one each. Each
     * event is still all-or-nothing: if the batch fails, the events are persisted one transaction each, so
     * that only the failing ones are missing; the first such failure is then thrown after the others are in.
     */
    public List<PersistedEvent> persistAll(List<Pdu> events) {
        try {
            return db.write(tx -> {
                List<PersistedEvent> out = new ArrayList<>(events.size());
                for (Pdu e : events) {
                    out.add(persist(tx, e, EventContext.normal()));
                }
                return out;
            });
        } catch (RuntimeException batchFailure) {
            List<PersistedEvent> out = new ArrayList<>(events.size());
            RuntimeException first = null;
            for (Pdu e : events) {
                try {
                    out.add(persist(e));
                } catch (RuntimeException single) {
                    if (first == null) {
                        first = single;
                    }
                }
            }
            if (first != null) {
                throw first;
            }
            return out;
        }
    }

    /**
     * Persists {@code event} inside a write transaction of this package (the group committer's or
     * {@link #persistAll}'s): not public, so no caller can mix its own writes into the persister's flow.
     * An event sent in a client transaction that already produced one is not stored: the earlier event
     * is returned, as already known.
     */
    PersistedEvent persist(Transaction tx, Pdu event, EventContext context) {
        Optional<ClientTransaction> txn = context.clientTransaction();
        EventId id = event.eventId();
        EventId known = txn.flatMap(
                        t -> clientTransactions.find(tx, t.key(), t.atMs()).map(EventId::new))
                .orElse(id);
        RoomId room = event.roomId();
        if (streams.replicated()) {
            // processes sharing the database persist one room's events one at a time, so each sees
            // the state and extremities the one before it left
            tx.dsl().execute("select pg_advisory_xact_lock(hashtext(?))", room.value());
        }
        var existing = tx.dsl()
                .select(EVENTS.STREAM_ORDERING, EVENTS.OUTLIER)
                .from(EVENTS)
                .where(EVENTS.EVENT_ID.eq(known.value()))
                .fetchOne();
        // history fetched from another server may hold events first stored as outliers (the state
        // and auth chain of a room joined over federation): they take their place in the timeline now
        boolean leavesOutliers = existing != null && existing.value2() && context.backfilled() && !context.outlier();
        if (existing != null && !leavesOutliers) {
            return new PersistedEvent(known, existing.value1(), state.groupForEvent(tx, known), true);
        }
        long streamOrdering =
                context.backfilled() ? -streams.allocate(tx, Stream.BACKFILL) : streams.allocate(tx, Stream.EVENTS);
        boolean rejected = context.rejectionReason().isPresent();
        if (!context.backfilled()) {
            recordChanges(event, streamOrdering);
        } else {
            db.invalidateOnCommit(tx, EventStore.ROOM_HISTORY, List.of(room.value()));
        }
        if (leavesOutliers) {
            EventStore.invalidateOnWrite(db, tx, id);
            tx.dsl()
                    .update(EVENTS)
                    .set(EVENTS.STREAM_ORDERING, streamOrdering)
                    .set(EVENTS.OUTLIER, false)
                    .set(EVENTS.REJECTION_REASON, context.rejectionReason().orElse(null))
                    .where(EVENTS.EVENT_ID.eq(id.value()))
                    .execute();
        } else {
            insertEvent(tx, event, context, streamOrdering);
        }
        if (txn.isPresent()) {
            ClientTransaction t = txn.get();
            clientTransactions.record(tx, t, id.value());
            t.device().ifPresent(device -> eventTxnIds.record(tx, id, t.user(), device, t.txnId(), t.atMs()));
        }
        // counted once it stands: a batch rolled back and persisted again one by one counts each event once
        tx.afterCommit(persisted::increment);
        if (context.outlier()) {
            return new PersistedEvent(id, streamOrdering, OptionalLong.empty(), false);
        }

        Set<EventId> prevs = new HashSet<>(event.prevEventIds());
        if (!prevs.isEmpty()) {
            var insert = tx.dsl()
                    .insertInto(EVENT_EDGES, EVENT_EDGES.EVENT_ID, EVENT_EDGES.PREV_EVENT_ID, EVENT_EDGES.ROOM_ID);
            for (EventId prev : prevs) {
                insert = insert.values(id.value(), prev.value(), room.value());
            }
            insert.execute();
        }
        updateBackwardExtremities(tx, room, id, prevs);
        if (!rejected && !context.backfilled()) {
            updateExtremities(tx, room, id, prevs);
        }

        // state before: given by the caller after state resolution, or inherited from the single prev event
        OptionalLong beforeGroup;
        Map<StateKey, EventId> stateBefore = context.stateBefore().orElse(null);
        if (stateBefore != null) {
            beforeGroup = groupFor(tx, room, id, prevs, stateBefore);
        } else {
            beforeGroup = inheritedGroup(tx, prevs, id);
        }
        long afterGroup;
        Optional<StateKey> key = event.stateKey().map(sk -> new StateKey(event.type(), sk));
        if (key.isPresent() && !rejected) {
            afterGroup = state.storeGroup(tx, room, id, orNull(beforeGroup), Map.of(key.get(), Optional.of(id)));
        } else if (beforeGroup.isPresent()) {
            afterGroup = beforeGroup.getAsLong(); // messages share their predecessor's group: no state rows
        } else {
            afterGroup = state.storeGroup(tx, room, id, null, Map.of());
        }
        state.setGroupForEvent(tx, id, afterGroup);

        if (!rejected) {
            // history fetched from another server changes nothing of the room's present
            boolean present = !context.backfilled();
            if (present && context.currentState().isPresent()) {
                applyResolvedState(tx, room, context.currentState().get(), null, streamOrdering);
            } else if (present && stateBefore != null) {
                applyResolvedState(tx, room, stateBefore, key.isPresent() ? key.get() : null, streamOrdering);
            }
            if (present && key.isPresent() && context.currentState().isEmpty()) {
                state.setCurrentState(
                        tx,
                        room,
                        key.get(),
                        id,
                        membershipOf(event.type(), event.content()).orElse(null));
            }
            Optional<EventId> redacted = event.redacts().filter(target -> !context.redactionUnapplied());
            redacted.ifPresent(target -> EventStore.invalidateOnWrite(db, tx, target));
            // a redaction never reaches into another room
            boolean redactedHere = redacted.isPresent()
                    && tx.dsl()
                                    .update(EVENTS)
                                    .set(EVENTS.REDACTED_BY, id.value())
                                    .where(
                                            EVENTS.EVENT_ID.eq(redacted.get().value()),
                                            EVENTS.ROOM_ID.eq(room.value()),
                                            EVENTS.REDACTED_BY.isNull())
                                    .execute()
                            == 1;
            relations.record(tx, event, event.depth(), streamOrdering);
            search.record(tx, event, streamOrdering);
            redacted.ifPresent(target -> relations.forget(tx, target));
            if (redactedHere) {
                // redaction strips the searchable text: the event must no longer be found by it
                search.forget(tx, List.of(redacted.get().value()));
            }
        }
        return new PersistedEvent(id, streamOrdering, OptionalLong.of(afterGroup), false);
    }

    private void insertEvent(Transaction tx, Pdu event, EventContext context, long streamOrdering) {
        EventId id = event.eventId();
        tx.dsl()
                .insertInto(EVENTS)
                .set(EVENTS.STREAM_ORDERING, streamOrdering)
                .set(EVENTS.EVENT_ID, id.value())
                .set(EVENTS.ROOM_ID, event.roomId().value())
                .set(EVENTS.EVENT_TYPE, event.type())
                .set(EVENTS.STATE_KEY, event.stateKey().orElse(null))
                .set(EVENTS.SENDER, event.sender().toString())
                .set(EVENTS.ORIGIN_SERVER_TS, event.originServerTs())
                .set(EVENTS.DEPTH, event.depth())
                .set(EVENTS.TOPOLOGICAL_ORDERING, event.depth())
                .set(EVENTS.OUTLIER, context.outlier())
                .set(EVENTS.REJECTION_REASON, context.rejectionReason().orElse(null))
                .set(EVENTS.ROOM_VERSION, event.version().id())
                .set(EVENTS.JSON, Json.write(event.json()))
                .execute();
        if (!event.authEventIds().isEmpty()) {
            var insert = tx.dsl().insertInto(EVENT_AUTH, EVENT_AUTH.EVENT_ID, EVENT_AUTH.AUTH_ID);
            for (EventId auth : new HashSet<>(event.authEventIds())) {
                insert = insert.values(id.value(), auth.value());
            }
            insert.execute();
        }
    }

    /** The event is in the timeline now; those of its prev_events that are not become the history's edge. */
    private void updateBackwardExtremities(Transaction tx, RoomId room, EventId id, Set<EventId> prevs) {
        tx.dsl()
                .deleteFrom(EVENT_BACKWARD_EXTREMITIES)
                .where(
                        EVENT_BACKWARD_EXTREMITIES.ROOM_ID.eq(room.value()),
                        EVENT_BACKWARD_EXTREMITIES.EVENT_ID.eq(id.value()))
                .execute();
        for (EventId prev : prevs) {
            boolean inTimeline =
                    tx.dsl().fetchExists(EVENTS, EVENTS.EVENT_ID.eq(prev.value()), EVENTS.OUTLIER.isFalse());
            if (!inTimeline) {
                tx.dsl()
                        .insertInto(EVENT_BACKWARD_EXTREMITIES)
                        .set(EVENT_BACKWARD_EXTREMITIES.ROOM_ID, room.value())
                        .set(EVENT_BACKWARD_EXTREMITIES.EVENT_ID, prev.value())
                        .onConflictDoNothing()
                        .execute();
            }
        }
    }

    private void updateExtremities(Transaction tx, RoomId room, EventId id, Set<EventId> prevs) {
        if (!prevs.isEmpty()) {
            tx.dsl()
                    .deleteFrom(EVENT_FORWARD_EXTREMITIES)
                    .where(
                            EVENT_FORWARD_EXTREMITIES.ROOM_ID.eq(room.value()),
                            EVENT_FORWARD_EXTREMITIES.EVENT_ID.in(
                                    prevs.stream().map(EventId::value).toList()))
                    .execute();
        }
        // an event that arrives after one of its children (backfill) is not an extremity
        boolean hasChild = tx.dsl().fetchExists(EVENT_EDGES, EVENT_EDGES.PREV_EVENT_ID.eq(id.value()));
        if (!hasChild) {
            tx.dsl()
                    .insertInto(EVENT_FORWARD_EXTREMITIES)
                    .set(EVENT_FORWARD_EXTREMITIES.ROOM_ID, room.value())
                    .set(EVENT_FORWARD_EXTREMITIES.EVENT_ID, id.value())
                    .execute();
        }
    }

    private OptionalLong inheritedGroup(Transaction tx, Set<EventId> prevs, EventId id) {
        if (prevs.isEmpty()) {
            return OptionalLong.empty(); // m.room.create
        }
        OptionalLong group = OptionalLong.empty();
        for (EventId prev : prevs) {
            OptionalLong g = state.groupForEvent(tx, prev);
            if (g.isEmpty()) {
                throw new StorageException("cannot persist " + id + ": the state after prev_event " + prev
                        + " is unknown; persist it first or pass the state before the event");
            }
            if (group.isPresent() && group.getAsLong() != g.getAsLong()) {
                throw new StorageException("cannot persist " + id + ": its prev_events have different state; "
                        + "resolve it and pass it with EventContext.withStateBefore");
            }
            group = g;
        }
        return group;
    }

    /** A group for a resolved state: a delta against the first prev event's group when there is one. */
    private OptionalLong groupFor(
            Transaction tx, RoomId room, EventId id, Set<EventId> prevs, Map<StateKey, EventId> resolved) {
        for (EventId prev : prevs) {
            OptionalLong g = state.groupForEvent(tx, prev);
            if (g.isPresent()) {
                Map<StateKey, EventId> base = state.groupState(tx, g.getAsLong());
                Map<StateKey, Optional<EventId>> delta = StateStore.diff(base, resolved);
                return delta.isEmpty() ? g : OptionalLong.of(state.storeGroup(tx, room, id, g.getAsLong(), delta));
            }
        }
        Map<StateKey, Optional<EventId>> all = new HashMap<>();
        resolved.forEach((k, v) -> all.put(k, Optional.of(v)));
        return OptionalLong.of(state.storeGroup(tx, room, id, null, all));
    }

    /** What the event changes, for readers that skip rooms and users with nothing new (see {@link StreamIds#changes}). */
    private void recordChanges(Pdu event, long streamOrdering) {
        String room = event.roomId().value();
        streams.recordChange(ChangedEntities.ROOM_EVENTS, room, streamOrdering);
        if (MEMBER.equals(event.type()) && event.stateKey().isPresent()) {
            streams.recordChange(ChangedEntities.ROOM_MEMBERSHIPS, room, streamOrdering);
            streams.recordChange(
                    ChangedEntities.USER_MEMBERSHIPS, event.stateKey().get(), streamOrdering);
        }
    }

    /** After state resolution, the room's current state becomes the resolved state (plus the event itself). */
    private void applyResolvedState(
            Transaction tx, RoomId room, Map<StateKey, EventId> resolved, StateKey own, long streamOrdering) {
        Map<StateKey, EventId> current = state.currentState(tx, room);
        Map<StateKey, Optional<EventId>> delta = StateStore.diff(current, resolved);
        for (var e : delta.entrySet()) {
            if (e.getKey().equals(own)) {
                continue; // set from the event itself right after
            }
            if (e.getKey().type().equals(MEMBER)) {
                // a state reset can change who is in the room without a member event of its own
                streams.recordChange(ChangedEntities.ROOM_MEMBERSHIPS, room.value(), streamOrdering);
            }
            if (e.getValue().isEmpty()) {
                state.removeCurrentState(tx, room, e.getKey());
            } else {
                EventId eventId = e.getValue().get();
                String json = tx.dsl()
                        .select(EVENTS.JSON)
                        .from(EVENTS)
                        .where(EVENTS.EVENT_ID.eq(eventId.value()))
                        .fetchOptional(EVENTS.JSON)
                        .orElse(null);
                Optional<String> membership = json == null
                        ? Optional.empty()
                        : membershipOf(e.getKey().type(), Json.readObject(json).path("content"));
                state.setCurrentState(tx, room, e.getKey(), eventId, membership.orElse(null));
            }
        }
    }

    private static @Nullable Long orNull(OptionalLong value) {
        return value.isPresent() ? value.getAsLong() : null;
    }

    private static Optional<String> membershipOf(String type, JsonNode content) {
        if (!MEMBER.equals(type)) {
            return Optional.empty();
        }
        JsonNode m = content.path("membership");
        return m.isTextual() ? Optional.of(m.asText()) : Optional.empty();
    }
}
