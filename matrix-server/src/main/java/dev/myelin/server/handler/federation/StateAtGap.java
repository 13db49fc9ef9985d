package dev.myelin.server.handler.federation;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.myelin.core.auth.AuthResult;
import dev.myelin.core.auth.EventAuthorizer;
import dev.myelin.core.event.Pdu;
import dev.myelin.core.id.EventId;
import dev.myelin.core.id.RoomId;
import dev.myelin.core.id.ServerName;
import dev.myelin.core.pdu.KeyLookup;
import dev.myelin.core.pdu.PduVerdict;
import dev.myelin.core.room.RoomVersion;
import dev.myelin.federation.api.FederationEndpoints;
import dev.myelin.federation.api.PduTransaction;
import dev.myelin.federation.api.RoomStateIdsResponse;
import dev.myelin.federation.client.FederationClient;
import dev.myelin.http.endpoint.EndpointCall;
import dev.myelin.server.handler.room.EventCreator;
import dev.myelin.storage.event.EventStore;
import dev.myelin.storage.event.StoredEvent;
import dev.myelin.storage.persist.EventContext;
import dev.myelin.storage.state.StateKey;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The state after an event this server does not have, asked of the server that sent an event
 * citing it, when {@code get_missing_events} did not close the gap: the ids of the state before
 * it and of their auth chain ({@code GET /state_ids}), then each event not known here, the missing
 * event itself included, fetched with {@code GET /event}. Each fetched event is checked for its
 * format, signatures and hash and against its own auth events (oldest first, so a rejected one
 * taints what cites it) and kept as an outlier, the rejected ones as rejected outliers. The state
 * is made of the accepted events only, plus the missing event when it is an accepted state event.
 *
 * <p>A server that names more than {@value #MAX_EVENTS} unknown events gets no answer here: the
 * gap stays open and the event citing it is refused.
 *
 * @see <a href="https://spec.matrix.org/v1.19/server-server-api/#backfilling-and-retrieving-missing-events">Backfilling and retrieving missing events</a>
 */
final class StateAtGap {
    /** The most events fetched one by one for the state at one gap (a bound against a hostile server). */
    static final int MAX_EVENTS = 1_000;

    private static final Logger LOG = LoggerFactory.getLogger(StateAtGap.class);

    private final EventStore events;
    private final EventCreator creator;
    private final ReceivedEvents received;
    private final FederationClient client;

    StateAtGap(EventStore events, EventCreator creator, ReceivedEvents received, FederationClient client) {
        this.events = events;
        this.creator = creator;
        this.received = received;
        this.client = client;
    }

    /** The state after {@code missing} in {@code room}, as {@code origin} gives it; empty when it cannot. */
    Optional<Map<StateKey, EventId>> stateAfter(ServerName origin, RoomId room, RoomVersion version, EventId missing) {
        RoomStateIdsResponse ids;
        try {
            ids = client.send(
                    origin,
                    EndpointCall.of(FederationEndpoints.ROOM_STATE_IDS, room).query("event_id", missing.value()));
        } catch (RuntimeException e) {
            LOG.info("state_ids at {} in {} from {} failed: {}", missing, room, origin, e.getMessage());
            return Optional.empty();
        }
        List<EventId> stateIds = new ArrayList<>();
        List<EventId> chain = new ArrayList<>();
        if (!parseIds(ids.pduIds(), stateIds) || !parseIds(ids.authChainIds(), chain)) {
            LOG.info("state_ids at {} from {}: not event ids", missing, origin);
            return Optional.empty();
        }
        if (stateIds.size() + chain.size() > RemoteJoins.MAX_JOIN_EVENTS) {
            // a room's state is not larger than what a join takes; each id would cost a look-up
            LOG.warn(
                    "state_ids at {} from {} names {} events: gap left open",
                    missing,
                    origin,
                    stateIds.size() + chain.size());
            return Optional.empty();
        }
        Set<EventId> wanted = new LinkedHashSet<>();
        wanted.add(missing);
        wanted.addAll(stateIds);
        wanted.addAll(chain);
        wanted.removeIf(events::exists);
        if (wanted.size() > MAX_EVENTS) {
            LOG.warn(
                    "state_ids at {} in {} from {} names {} unknown events; at most {} are fetched: gap left open",
                    missing,
                    room,
                    origin,
                    wanted.size(),
                    MAX_EVENTS);
            return Optional.empty();
        }
        Map<EventId, Pdu> fetched = fetch(origin, room, version, wanted);
        keepAsOutliers(fetched);
        Map<EventId, StoredEvent> known = events.getAll(stateIds);
        Map<StateKey, EventId> state = new HashMap<>();
        for (EventId id : stateIds) {
            StoredEvent event = known.get(id);
            if (event == null
                    || event.rejectionReason().isPresent()
                    || !event.pdu().roomId().equals(room)
                    || event.pdu().stateKey().isEmpty()) {
                continue;
            }
            state.put(StateKey.of(event.pdu().type(), event.pdu().stateKey().get()), id);
        }
        Optional<StoredEvent> self = events.get(missing);
        if (self.isEmpty() || !self.get().pdu().roomId().equals(room)) {
            LOG.info("state at {} in {}: {} did not give the event itself", missing, room, origin);
            return Optional.empty();
        }
        Pdu gap = self.get().pdu();
        if (self.get().rejectionReason().isEmpty() && gap.stateKey().isPresent()) {
            state.put(StateKey.of(gap.type(), gap.stateKey().get()), missing);
        }
        return Optional.of(state);
    }

    private static boolean parseIds(List<String> given, List<EventId> out) {
        for (String id : given) {
            try {
                out.add(EventId.parse(id));
            } catch (IllegalArgumentException e) {
                return false;
            }
        }
        return true;
    }

    /** The events of {@code ids} from {@code origin}, each checked and the one asked for. */
    private Map<EventId, Pdu> fetch(ServerName origin, RoomId room, RoomVersion version, Set<EventId> ids) {
        List<ObjectNode> jsons = new ArrayList<>();
        for (EventId id : ids) {
            try {
                PduTransaction answer = client.send(origin, EndpointCall.of(FederationEndpoints.EVENT, id));
                if (!answer.pdus().isEmpty()) {
                    jsons.add(answer.pdus().getFirst());
                }
            } catch (RuntimeException e) {
                LOG.info("event {} from {} could not be fetched: {}", id, origin, e.getMessage());
            }
        }
        KeyLookup keys = received.keysFor(jsons);
        Map<EventId, Pdu> out = new LinkedHashMap<>();
        int dropped = 0;
        for (ObjectNode json : jsons) {
            if (received.verify(json, version, keys) instanceof PduVerdict.Accepted ok
                    && ok.event().roomId().equals(room)
                    && ids.contains(ok.event().eventId())) {
                out.put(ok.event().eventId(), ok.event());
            } else {
                dropped++;
            }
        }
        if (dropped > 0) {
            LOG.warn(
                    "state at a gap in {} from {}: {} fetched events were not valid and are left out",
                    room,
                    origin,
                    dropped);
        }
        return out;
    }

    /**
     * Keeps the fetched events as outliers, each first checked against its auth events (fetched or
     * stored); one whose auth events are missing, rejected or of another room is kept as rejected.
     */
    private void keepAsOutliers(Map<EventId, Pdu> fetched) {
        List<Pdu> ordered = new ArrayList<>(fetched.values());
        ordered.sort(Comparator.comparingLong(Pdu::depth)
                .thenComparing(p -> p.eventId().value()));
        Set<EventId> rejected = new LinkedHashSet<>();
        for (Pdu event : ordered) {
            List<Pdu> authEvents = new ArrayList<>();
            Map<EventId, StoredEvent> stored = events.getAll(event.authEventIds());
            for (EventId id : event.authEventIds()) {
                Pdu auth = fetched.get(id);
                if (auth != null) {
                    authEvents.add(auth);
                } else if (stored.containsKey(id)) {
                    authEvents.add(stored.get(id).pdu());
                    if (stored.get(id).rejectionReason().isPresent()) {
                        rejected.add(id);
                    }
                }
            }
            addCreateWhenUncited(event, fetched, authEvents);
            AuthResult result = EventAuthorizer.checkAgainstAuthEvents(event, authEvents, rejected::contains);
            if (result instanceof AuthResult.Rejected r) {
                LOG.info("fetched event {} rejected: {}", event.eventId(), r.reason());
                rejected.add(event.eventId());
                creator.persistQuietly(
                        event, new EventContext(true, Optional.of(r.reason()), Optional.empty(), Optional.empty()));
            } else {
                creator.persistQuietly(event, EventContext.outlierEvent());
            }
        }
    }

    /** From room version 12 the create event is never cited; the rules still need it. */
    private void addCreateWhenUncited(Pdu event, Map<EventId, Pdu> fetched, List<Pdu> authEvents) {
        if (!event.version().eventFormat().roomIdFromCreateEvent()
                || event.type().equals("m.room.create")) {
            return;
        }
        event.roomId().createEventId().ifPresent(createId -> {
            Pdu create = fetched.get(createId);
            if (create != null) {
                authEvents.add(create);
            } else {
                events.get(createId).ifPresent(e -> authEvents.add(e.pdu()));
            }
        });
    }
}
