package dev.myelin.server.handler.federation;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.myelin.core.id.EventId;
import dev.myelin.core.id.InvalidIdentifierException;
import dev.myelin.core.id.RoomId;
import dev.myelin.core.id.ServerName;
import dev.myelin.core.time.Clock;
import dev.myelin.federation.api.EventAuthResponse;
import dev.myelin.federation.api.MissingEventsRequest;
import dev.myelin.federation.api.MissingEventsResponse;
import dev.myelin.federation.api.PduTransaction;
import dev.myelin.federation.api.RoomStateIdsResponse;
import dev.myelin.federation.api.RoomStateResponse;
import dev.myelin.federation.api.TimestampToEventResponse;
import dev.myelin.http.error.MatrixException;
import dev.myelin.server.handler.room.RoomStateReader;
import dev.myelin.storage.event.Direction;
import dev.myelin.storage.event.EventStore;
import dev.myelin.storage.event.StoredEvent;
import dev.myelin.storage.state.StateKey;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.Set;

/**
 * How other servers read a room from this one: single events, the state at an event, auth chains,
 * backfill, missing events and the event nearest a time. Every read first checks that the asking
 * server may read the room ({@link ServerVisibility#requireReader}); events it returns pass
 * {@link ServerVisibility#forServer}. Rejected events are never served, and neither are events of
 * another room than the one asked about (404 {@code M_NOT_FOUND}).
 */
public final class RoomReadsForServers {
    /** Synapse asks for 100 events per backfill and serves no more. */
    public static final int MAX_BACKFILL = 100;
    /** The {@code get_missing_events} limit when none is given, as the spec says. */
    public static final int DEFAULT_MISSING_EVENTS = 10;
    /** At most this many missing events per request, as Synapse serves. */
    public static final int MAX_MISSING_EVENTS = 20;

    private static final Comparator<StoredEvent> NEWEST_FIRST = Comparator.comparingLong(
                    (StoredEvent e) -> -e.pdu().depth())
            .thenComparingLong(e -> -e.streamOrdering())
            .thenComparing(StoredEvent::eventId);

    private final ServerName serverName;
    private final RoomStateReader rooms;
    private final EventStore events;
    private final ServerVisibility visibility;
    private final Clock clock;

    public RoomReadsForServers(
            ServerName serverName, RoomStateReader rooms, EventStore events, ServerVisibility visibility, Clock clock) {
        this.serverName = serverName;
        this.rooms = rooms;
        this.events = events;
        this.visibility = visibility;
        this.clock = clock;
    }

    /** {@code GET /event/{eventId}}: the event, as {@code origin} may see it. */
    public PduTransaction event(ServerName origin, String eventId) {
        StoredEvent event = servable(parseEventId("eventId", eventId));
        visibility.requireJoined(event.pdu().roomId(), origin);
        return transaction(visibility.forServer(origin, List.of(event)));
    }

    /** {@code GET /state/{roomId}}: the state before {@code eventId}, with its auth chain. */
    public RoomStateResponse state(ServerName origin, String roomId, String eventId) {
        RoomId room = readableRoom(origin, roomId);
        Collection<EventId> stateIds = stateBefore(room, eventId);
        List<StoredEvent> state = sorted(events.getAll(stateIds).values());
        List<StoredEvent> chain = authChain(stateIds);
        return new RoomStateResponse(pdus(chain), pdus(state));
    }

    /** {@code GET /state_ids/{roomId}}: {@link #state} as event ids. */
    public RoomStateIdsResponse stateIds(ServerName origin, String roomId, String eventId) {
        RoomId room = readableRoom(origin, roomId);
        Collection<EventId> stateIds = stateBefore(room, eventId);
        return new RoomStateIdsResponse(
                authChain(stateIds).stream().map(e -> e.eventId().value()).toList(),
                stateIds.stream().sorted().map(EventId::value).toList());
    }

    /** {@code GET /event_auth/{roomId}/{eventId}}: the event's auth events, recursively. */
    public EventAuthResponse eventAuth(ServerName origin, String roomId, String eventId) {
        RoomId room = readableRoom(origin, roomId);
        StoredEvent event = inRoom(room, parseEventId("eventId", eventId));
        return new EventAuthResponse(pdus(authChain(List.of(event.eventId()))));
    }

    /**
     * {@code GET /backfill/{roomId}}: the events {@code from} and those before them, newest first,
     * at most {@code limit} (capped at {@link #MAX_BACKFILL}). The walk goes back along
     * {@code prev_events} always taking the deepest event not yet taken (then the latest
     * persisted), so it fans out breadth-first across branches, as Synapse's does; events stored
     * without state are not walked into. Ids of events this server does not have in the room are
     * passed over.
     */
    public PduTransaction backfill(ServerName origin, String roomId, List<String> from, int limit) {
        RoomId room = readableRoom(origin, roomId);
        List<EventId> seeds = from.stream().map(v -> parseEventId("v", v)).toList();
        int max = Math.min(limit, MAX_BACKFILL);
        PriorityQueue<StoredEvent> queue = new PriorityQueue<>(NEWEST_FIRST);
        events.getAll(seeds).values().stream()
                .filter(e -> e.pdu().roomId().equals(room))
                .forEach(queue::add);
        Set<EventId> seen = new HashSet<>();
        List<StoredEvent> out = new ArrayList<>();
        while (!queue.isEmpty() && out.size() < max) {
            StoredEvent event = queue.poll();
            if (!seen.add(event.eventId())) {
                continue;
            }
            if (event.rejectionReason().isEmpty()) {
                out.add(event);
            }
            for (StoredEvent prev : events.getAll(event.pdu().prevEventIds()).values()) {
                if (!prev.outlier() && prev.pdu().roomId().equals(room) && !seen.contains(prev.eventId())) {
                    queue.add(prev);
                }
            }
        }
        return transaction(visibility.forServer(origin, out));
    }

    /**
     * {@code POST /get_missing_events/{roomId}}: walks back along {@code prev_events} from
     * {@code latest_events}, one generation at a time, not entering {@code earliest_events} nor
     * events below {@code min_depth}, until the limit ({@link #DEFAULT_MISSING_EVENTS} by default, at
     * most {@link #MAX_MISSING_EVENTS}); the latest events themselves are not returned. Oldest first.
     */
    public MissingEventsResponse missingEvents(ServerName origin, String roomId, MissingEventsRequest request) {
        RoomId room = readableRoom(origin, roomId);
        long requested = request.limit() == null ? DEFAULT_MISSING_EVENTS : request.limit();
        if (requested < 0) {
            throw MatrixException.invalidParam("limit", "must not be negative");
        }
        int limit = (int) Math.min(requested, MAX_MISSING_EVENTS);
        long minDepth = request.minDepth() == null ? 0 : request.minDepth();
        Set<EventId> seen = new HashSet<>();
        request.earliestEvents().forEach(id -> seen.add(parseEventId("earliest_events", id)));
        Set<EventId> front = new LinkedHashSet<>();
        for (String id : request.latestEvents()) {
            EventId latest = parseEventId("latest_events", id);
            if (!seen.contains(latest)) {
                front.add(latest);
            }
        }
        List<StoredEvent> found = new ArrayList<>();
        while (!front.isEmpty() && found.size() < limit) {
            Set<EventId> next = new LinkedHashSet<>();
            for (StoredEvent event : sorted(events.getAll(front).values())) {
                if (!event.pdu().roomId().equals(room)) {
                    continue;
                }
                for (StoredEvent prev :
                        sorted(events.getAll(event.pdu().prevEventIds()).values())) {
                    if (found.size() >= limit) {
                        break;
                    }
                    if (!prev.pdu().roomId().equals(room)
                            || prev.pdu().depth() < minDepth
                            || !seen.add(prev.eventId())) {
                        continue;
                    }
                    next.add(prev.eventId());
                    if (prev.rejectionReason().isEmpty()) {
                        found.add(prev);
                    }
                }
            }
            front = next;
        }
        return new MissingEventsResponse(visibility.forServer(origin, found.reversed()));
    }

    /** {@code GET /timestamp_to_event/{roomId}}: the room's event nearest {@code ts} in {@code direction}. */
    public TimestampToEventResponse timestampToEvent(ServerName origin, String roomId, long ts, Direction direction) {
        RoomId room = readableRoom(origin, roomId);
        StoredEvent event = events.eventNearTimestamp(room, ts, direction)
                .orElseThrow(() -> MatrixException.notFound("Unable to find event from " + ts + " in "
                        + (direction == Direction.FORWARDS ? "forward" : "backward") + " direction"));
        return new TimestampToEventResponse(event.eventId().value(), event.pdu().originServerTs());
    }

    private RoomId readableRoom(ServerName origin, String roomId) {
        RoomId room;
        try {
            room = RoomId.parse(roomId);
        } catch (InvalidIdentifierException e) {
            throw MatrixException.invalidParam("roomId", "not a room id");
        }
        rooms.requireRoom(room);
        visibility.requireReader(room, origin);
        return room;
    }

    /**
     * The state before {@code eventId}: the state after it, with the event's own entry put back as
     * it was before it when it is a state event.
     */
    private Collection<EventId> stateBefore(RoomId room, String eventId) {
        StoredEvent event = inRoom(room, parseEventId("event_id", eventId));
        if (event.outlier()) {
            throw MatrixException.notFound("State not known at event " + event.eventId());
        }
        Map<StateKey, EventId> state = new HashMap<>(rooms.stateAfter(event.eventId()));
        if (event.pdu().stateKey().isPresent()) {
            StateKey key =
                    StateKey.of(event.pdu().type(), event.pdu().stateKey().get());
            EventId before = rooms.stateBefore(event).get(key);
            if (before == null) {
                state.remove(key);
            } else {
                state.put(key, before);
            }
        }
        return state.values();
    }

    /** The union of the auth chains of {@code ids}, oldest first; the events themselves only as each other's. */
    private List<StoredEvent> authChain(Collection<EventId> ids) {
        Map<EventId, StoredEvent> chain = new HashMap<>();
        Set<EventId> wanted = new HashSet<>();
        for (StoredEvent event : events.getAll(ids).values()) {
            wanted.addAll(event.pdu().authEventIds());
        }
        while (!wanted.isEmpty()) {
            Map<EventId, StoredEvent> found = events.getAll(wanted);
            chain.putAll(found);
            Set<EventId> next = new HashSet<>();
            for (StoredEvent event : found.values()) {
                for (EventId auth : event.pdu().authEventIds()) {
                    if (!chain.containsKey(auth)) {
                        next.add(auth);
                    }
                }
            }
            wanted = next;
        }
        return sorted(chain.values()).reversed();
    }

    /** An event this server may serve: stored and not rejected; else 404. */
    private StoredEvent servable(EventId id) {
        return events.get(id)
                .filter(e -> e.rejectionReason().isEmpty())
                .orElseThrow(() -> MatrixException.notFound("Could not find event " + id));
    }

    private StoredEvent inRoom(RoomId room, EventId id) {
        StoredEvent event = servable(id);
        if (!event.pdu().roomId().equals(room)) {
            throw MatrixException.notFound("Could not find event " + id + " in room " + room);
        }
        return event;
    }

    private PduTransaction transaction(List<ObjectNode> pdus) {
        return new PduTransaction(serverName.toString(), clock.nowMillis(), pdus);
    }

    private static List<ObjectNode> pdus(List<StoredEvent> events) {
        return events.stream().map(ServerVisibility::pdu).toList();
    }

    private static List<StoredEvent> sorted(Collection<StoredEvent> events) {
        List<StoredEvent> out = new ArrayList<>(events);
        out.sort(NEWEST_FIRST);
        return out;
    }

    private static EventId parseEventId(String name, String value) {
        try {
            return EventId.parse(value);
        } catch (InvalidIdentifierException e) {
            throw MatrixException.invalidParam(name, "not an event id");
        }
    }
}
