package dev.myelin.server.handler.relations;

import dev.myelin.core.id.EventId;
import dev.myelin.core.id.RoomId;
import dev.myelin.core.id.UserId;
import dev.myelin.http.error.MatrixException;
import dev.myelin.server.handler.room.HistoryVisibilityFilter;
import dev.myelin.server.handler.room.RoomReadHandler;
import dev.myelin.storage.event.Direction;
import dev.myelin.storage.event.EventStore;
import dev.myelin.storage.event.RoomPosition;
import dev.myelin.storage.event.StoredEvent;
import dev.myelin.storage.relation.Relation;
import dev.myelin.storage.relation.RelationStore;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Reads of the relation index for a user: the children of an event ({@code /relations}) and the
 * room's threads ({@code /threads}), both through {@link HistoryVisibilityFilter}. The parent must
 * be an event the user may see, else 404.
 *
 * @see <a href="https://spec.matrix.org/v1.19/client-server-api/#relationship-types">Relationships</a>
 * @see <a href="https://spec.matrix.org/v1.19/client-server-api/#threading">Threading</a>
 */
public final class RelationsHandler {
    /** How deep {@code recurse=true} follows relations of relations, as Synapse does. */
    public static final int MAX_RECURSION_DEPTH = 3;
    /** Bounds the events walked while recursing, so a huge reaction tree cannot exhaust memory. */
    private static final int MAX_RECURSION_EVENTS = 5_000;

    private final RelationStore relationStore;
    private final EventStore eventStore;
    private final RoomReadHandler reads;
    private final HistoryVisibilityFilter visibility;

    public RelationsHandler(
            RelationStore relationStore,
            EventStore eventStore,
            RoomReadHandler reads,
            HistoryVisibilityFilter visibility) {
        this.relationStore = relationStore;
        this.eventStore = eventStore;
        this.reads = reads;
        this.visibility = visibility;
    }

    /** A {@code /relations} query; {@code from}/{@code to} are room pagination positions. */
    public record Query(
            RoomId room,
            EventId parent,
            Optional<String> relType,
            Optional<String> eventType,
            Optional<RoomPosition> from,
            Optional<RoomPosition> to,
            Direction direction,
            int limit,
            boolean recurse) {}

    /**
     * One page of children.
     *
     * @param next where the next page starts, when there may be one
     */
    public record Page(List<StoredEvent> chunk, Optional<RoomPosition> next) {}

    public Page relations(UserId user, Query query) {
        try {
            reads.event(user, query.room(), query.parent());
        } catch (MatrixException e) {
            // the spec answers 404 both for unknown parents and for rooms the user cannot read
            throw e.status() == 403 ? MatrixException.notFound("Event not found.") : e;
        }
        Set<EventId> parents = new LinkedHashSet<>();
        parents.add(query.parent());
        if (query.recurse()) {
            Set<EventId> frontier = Set.of(query.parent());
            // children of depth-(MAX-1) events are the deepest results, so they are parents too
            for (int depth = 1;
                    depth < MAX_RECURSION_DEPTH && !frontier.isEmpty() && parents.size() < MAX_RECURSION_EVENTS;
                    depth++) {
                Set<EventId> next = new HashSet<>(relationStore.childIds(query.room(), frontier, MAX_RECURSION_EVENTS));
                next.removeAll(parents);
                parents.addAll(next);
                frontier = next;
            }
        }
        RoomPosition start =
                query.from().orElse(query.direction() == Direction.BACKWARDS ? RoomPosition.END : RoomPosition.START);
        List<Relation> rows = new ArrayList<>(relationStore.children(
                query.room(),
                parents,
                query.relType().orElse(null),
                query.eventType().orElse(null),
                start,
                query.direction(),
                query.limit() + 1));
        if (query.to().isPresent()) {
            RoomPosition to = query.to().get();
            rows.removeIf(r -> query.direction() == Direction.BACKWARDS
                    ? r.position().compareTo(to) <= 0
                    : r.position().compareTo(to) > 0);
        }
        boolean more = rows.size() > query.limit();
        List<Relation> page = more ? rows.subList(0, query.limit()) : rows;
        Optional<RoomPosition> next = more
                ? Optional.of(
                        query.direction() == Direction.BACKWARDS
                                ? page.getLast().position().before()
                                : page.getLast().position())
                : Optional.empty();
        return new Page(
                visible(user, query.room(), page.stream().map(Relation::eventId).toList()), next);
    }

    /** One page of thread roots, most recently active first; {@code next} is a stream position. */
    public record ThreadsPage(List<StoredEvent> roots, Optional<Long> next) {}

    public ThreadsPage threads(UserId user, RoomId room, boolean participatedOnly, Optional<Long> from, int limit) {
        reads.access(user, room);
        List<RelationStore.ThreadActivity> rows =
                relationStore.threads(room, participatedOnly ? user : null, from.orElse(Long.MAX_VALUE), limit + 1);
        boolean more = rows.size() > limit;
        List<RelationStore.ThreadActivity> page = more ? rows.subList(0, limit) : rows;
        Optional<Long> next = more ? Optional.of(page.getLast().latestStream()) : Optional.empty();
        return new ThreadsPage(
                visible(
                        user,
                        room,
                        page.stream().map(RelationStore.ThreadActivity::root).toList()),
                next);
    }

    /** The events of {@code ids} in that order that exist in the room, are not redacted, and the user may see. */
    private List<StoredEvent> visible(UserId user, RoomId room, List<EventId> ids) {
        Map<EventId, StoredEvent> found = eventStore.getAll(ids);
        List<StoredEvent> events = new ArrayList<>();
        for (EventId id : ids) {
            StoredEvent event = found.get(id);
            if (event != null
                    && event.pdu().roomId().equals(room)
                    && event.redactedBy().isEmpty()) {
                events.add(event);
            }
        }
        return visibility.filter(user, room, events);
    }
}
