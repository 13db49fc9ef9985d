package dev.myelin.server.handler.room;

import dev.myelin.core.id.EventId;
import dev.myelin.core.id.RoomId;
import dev.myelin.core.id.UserId;
import dev.myelin.http.error.MatrixException;
import dev.myelin.server.handler.filter.RoomEventFilter;
import dev.myelin.storage.event.Direction;
import dev.myelin.storage.event.EventPage;
import dev.myelin.storage.event.EventStore;
import dev.myelin.storage.event.RoomPosition;
import dev.myelin.storage.event.StoredEvent;
import dev.myelin.storage.state.StateKey;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Walks a room's timeline for {@code /messages}, {@code /context} and {@code timestamp_to_event}:
 * in topological order, through {@link HistoryVisibilityFilter} and a {@link RoomEventFilter}, never
 * past the point where a reader who left the room left it. Positions are {@link RoomPosition}s; the
 * HTTP layer turns them into tokens with {@link RoomTokens}.
 *
 * @see <a href="https://spec.matrix.org/v1.19/client-server-api/#get_matrixclientv3roomsroomidmessages">/messages</a>
 * @see <a href="https://spec.matrix.org/v1.19/client-server-api/#get_matrixclientv3roomsroomidcontexteventid">/context</a>
 */
public final class RoomTimelineHandler {
    /** The most events one request returns. */
    public static final int MAX_LIMIT = 1000;
    /** How many store pages one request reads at most while filtering, so hidden history cannot make it unbounded. */
    private static final int MAX_ROUNDS = 10;

    private final EventStore eventStore;
    private final RoomStateReader state;
    private final HistoryVisibilityFilter visibility;
    private final RoomReadHandler reads;
    private final HistoryBackfill backfill;

    /** A timeline of the history held here only. */
    public RoomTimelineHandler(
            EventStore eventStore, RoomStateReader state, HistoryVisibilityFilter visibility, RoomReadHandler reads) {
        this(eventStore, state, visibility, reads, HistoryBackfill.NONE);
    }

    /** A timeline that {@code backfill} extends into older history when a page walks past its start. */
    public RoomTimelineHandler(
            EventStore eventStore,
            RoomStateReader state,
            HistoryVisibilityFilter visibility,
            RoomReadHandler reads,
            HistoryBackfill backfill) {
        this.eventStore = eventStore;
        this.state = state;
        this.visibility = visibility;
        this.reads = reads;
        this.backfill = backfill;
    }

    /**
     * A page of {@code /messages}.
     *
     * @param start the position the page starts at
     * @param end   where to continue, empty when there is nothing more to see
     * @param state member events of the chunk's senders, when the filter lazy-loads members
     */
    public record Messages(
            List<StoredEvent> chunk, RoomPosition start, Optional<RoomPosition> end, List<StoredEvent> state) {}

    /** {@code /context}: the event, those around it, the positions before and after them, and the state. */
    public record Context(
            StoredEvent event,
            List<StoredEvent> before,
            List<StoredEvent> after,
            RoomPosition start,
            RoomPosition end,
            List<StoredEvent> state) {}

    public Messages messages(
            UserId user,
            RoomId room,
            Optional<RoomPosition> from,
            Optional<RoomPosition> to,
            Direction direction,
            int limit,
            RoomEventFilter filter) {
        RoomReadHandler.Access access = reads.access(user, room);
        boolean forwards = direction == Direction.FORWARDS;
        RoomPosition start = from.orElseGet(() -> forwards ? RoomPosition.START : latest(room));
        RoomPosition bound = to.orElse(forwards ? RoomPosition.END : RoomPosition.START);
        RoomPosition walkFrom = start;
        if (forwards) {
            bound = min(bound, access.limit());
        } else {
            walkFrom = min(start, access.limit());
        }
        int capped = Math.min(limit, MAX_LIMIT);
        Walk walk = walk(user, room, walkFrom, bound, capped, direction, filter);
        if (!forwards && reachesAGap(room, walk, capped, bound) && backfill.fetchOlder(room, capped)) {
            walk = walk(user, room, walkFrom, bound, capped, direction, filter);
        }
        // As with Synapse, any page with events has an end, even one that reached the room's start:
        // clients written against it (and its test suite) ask once more and stop at the empty page.
        Optional<RoomPosition> end = walk.events().isEmpty() ? Optional.empty() : Optional.of(walk.next());
        List<StoredEvent> members = filter.lazyLoadMembers() && !walk.events().isEmpty()
                ? membersFor(walk.events().getFirst(), walk.events())
                : List.of();
        return new Messages(walk.events(), start, end, members);
    }

    public Context context(UserId user, RoomId room, EventId eventId, int limit, RoomEventFilter filter) {
        RoomReadHandler.Access access = reads.access(user, room);
        StoredEvent event = reads.event(user, room, eventId);
        int capped = Math.min(limit, MAX_LIMIT);
        int beforeLimit = capped / 2;
        Walk before = walk(
                user, room, event.position().before(), RoomPosition.START, beforeLimit, Direction.BACKWARDS, filter);
        Walk after =
                walk(user, room, event.position(), access.limit(), capped - beforeLimit, Direction.FORWARDS, filter);
        StoredEvent last = after.events().isEmpty() ? event : after.events().getLast();
        Map<StateKey, StoredEvent> stateAt = state.events(state.stateAfter(last.eventId()));
        Set<String> senders = new HashSet<>();
        senders.add(event.pdu().sender().toString());
        before.events().forEach(e -> senders.add(e.pdu().sender().toString()));
        after.events().forEach(e -> senders.add(e.pdu().sender().toString()));
        List<StoredEvent> roomState = new ArrayList<>();
        stateAt.forEach((key, e) -> {
            if (!filter.lazyLoadMembers()
                    || !key.type().equals(RoomStateReader.MEMBER)
                    || senders.contains(key.stateKey())) {
                roomState.add(e);
            }
        });
        return new Context(
                event,
                before.events(),
                after.events(),
                before.next(),
                after.next(),
                visibility.filter(user, room, roomState));
    }

    /** The event closest to {@code timestampMs} in {@code direction} that the user may see; 404 if none. */
    /**
     * The events the user may see just before and just after {@code event} (at most {@code beforeLimit}
     * and {@code afterLimit}), and the positions to paginate on from either side: the context of a
     * search result. The caller has checked that the user may see {@code event}.
     */
    public Context around(UserId user, StoredEvent event, int beforeLimit, int afterLimit) {
        RoomId room = event.pdu().roomId();
        RoomReadHandler.Access access = reads.access(user, room);
        Walk before = walk(
                user,
                room,
                event.position().before(),
                RoomPosition.START,
                Math.min(beforeLimit, MAX_LIMIT),
                Direction.BACKWARDS,
                RoomEventFilter.ALL);
        Walk after = walk(
                user,
                room,
                event.position(),
                access.limit(),
                Math.min(afterLimit, MAX_LIMIT),
                Direction.FORWARDS,
                RoomEventFilter.ALL);
        return new Context(event, before.events(), after.events(), before.next(), after.next(), List.of());
    }

    public StoredEvent eventNear(UserId user, RoomId room, long timestampMs, Direction direction) {
        reads.access(user, room);
        return eventStore
                .eventNearTimestamp(room, timestampMs, direction)
                .filter(e -> visibility.canSee(user, e))
                .orElseThrow(() -> MatrixException.notFound("Unable to find event from " + timestampMs
                        + " in direction " + (direction == Direction.FORWARDS ? "f" : "b")));
    }

    private record Walk(List<StoredEvent> events, RoomPosition next, boolean exhausted) {}

    /**
     * Whether a backwards page reaches history not held here: it ran out before its limit at the
     * start of what is held, or one of its events follows a gap (a room joined over federation, or
     * events another server sent after a gap it did not fill).
     */
    private boolean reachesAGap(RoomId room, Walk walk, int limit, RoomPosition bound) {
        if (walk.exhausted() && walk.events().size() < limit && bound.equals(RoomPosition.START)) {
            return true;
        }
        return eventStore.citesBackwardExtremity(
                room, walk.events().stream().map(StoredEvent::eventId).toList());
    }

    /**
     * Up to {@code limit} events visible to the user and matching the filter, from {@code from} towards
     * {@code to}, and the position just past the last one read.
     */
    private Walk walk(
            UserId user,
            RoomId room,
            RoomPosition from,
            RoomPosition to,
            int limit,
            Direction direction,
            RoomEventFilter filter) {
        List<StoredEvent> out = new ArrayList<>();
        RoomPosition cursor = from;
        if (limit <= 0) {
            return new Walk(out, cursor, false);
        }
        for (int round = 0; round < MAX_ROUNDS; round++) {
            int batch = Math.min(MAX_LIMIT, Math.max(limit - out.size(), 10) * 2);
            EventPage page = eventStore.roomEventsBetween(room, cursor, to, batch, direction);
            // the events as the user may see them: some are left out, an erased sender's redacted
            Map<EventId, StoredEvent> visible = new HashMap<>();
            visibility.filter(user, room, page.events()).forEach(e -> visible.put(e.eventId(), e));
            for (StoredEvent e : page.events()) {
                cursor = direction == Direction.FORWARDS
                        ? e.position()
                        : e.position().before();
                StoredEvent served = visible.get(e.eventId());
                if (served != null && filter.matches(served.pdu())) {
                    out.add(served);
                    if (out.size() == limit) {
                        return new Walk(out, cursor, false);
                    }
                }
            }
            if (page.events().size() < batch) {
                return new Walk(out, cursor, true);
            }
        }
        return new Walk(out, cursor, false);
    }

    /** The member events, in the state at {@code at}, of the senders of {@code events}. */
    private List<StoredEvent> membersFor(StoredEvent at, List<StoredEvent> events) {
        Map<StateKey, EventId> stateAt = state.stateAfter(at.eventId());
        Set<String> senders = new LinkedHashSet<>();
        events.forEach(e -> senders.add(e.pdu().sender().toString()));
        Map<StateKey, EventId> wanted = new java.util.HashMap<>();
        for (String sender : senders) {
            EventId id = stateAt.get(StateKey.member(sender));
            if (id != null) {
                wanted.put(StateKey.member(sender), id);
            }
        }
        return List.copyOf(state.events(wanted).values());
    }

    /** The position just after the room's newest event. */
    private RoomPosition latest(RoomId room) {
        EventPage page =
                eventStore.roomEventsBetween(room, RoomPosition.END, RoomPosition.START, 1, Direction.BACKWARDS);
        return page.events().isEmpty()
                ? RoomPosition.START
                : page.events().getFirst().position();
    }

    private static RoomPosition min(RoomPosition a, RoomPosition b) {
        return a.compareTo(b) <= 0 ? a : b;
    }
}
