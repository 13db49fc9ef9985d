package dev.myelin.server.handler.federation;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.myelin.core.concurrent.Linearizer;
import dev.myelin.core.event.Pdu;
import dev.myelin.core.id.EventId;
import dev.myelin.core.id.RoomId;
import dev.myelin.core.id.ServerName;
import dev.myelin.core.id.UserId;
import dev.myelin.core.pdu.KeyLookup;
import dev.myelin.core.pdu.PduVerdict;
import dev.myelin.core.room.RoomVersion;
import dev.myelin.federation.api.FederationEndpoints;
import dev.myelin.federation.api.PduTransaction;
import dev.myelin.federation.api.RoomStateResponse;
import dev.myelin.federation.client.FederationClient;
import dev.myelin.http.endpoint.EndpointCall;
import dev.myelin.server.handler.room.EventCreator;
import dev.myelin.server.handler.room.HistoryBackfill;
import dev.myelin.storage.event.EventStore;
import dev.myelin.storage.event.StoredEvent;
import dev.myelin.storage.persist.EventContext;
import dev.myelin.storage.room.RoomStore;
import dev.myelin.storage.state.StateKey;
import dev.myelin.storage.state.StateStore;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A room's older history from the other servers in it ({@code GET /backfill}), for a client that
 * paginates back past the events held here: the events before the room's backward extremities,
 * each checked on receipt like any PDU (signatures, hashes, the authorization rules against the
 * state before it) and stored in the timeline by depth, without changing the room's current state
 * or forward extremities, and below every stream position, so no {@code /sync} shows them as new.
 *
 * <p>The state before the oldest fetched event, whose own predecessors are not held here, comes
 * from the same server ({@code GET /state} at that event), its events checked against their auth
 * chain and kept as outliers. At most {@value #MAX_EVENTS} events are taken from one answer, and
 * at most {@value #MAX_SERVERS} servers are asked; one backfill of a room runs at a time.
 *
 * @see <a href="https://spec.matrix.org/v1.19/server-server-api/#backfilling-and-retrieving-missing-events">Backfilling</a>
 */
public final class RoomBackfill implements HistoryBackfill {
    /** The most events one backfill asks for and takes. */
    static final int MAX_EVENTS = 100;
    /** How many servers of the room one backfill tries. */
    static final int MAX_SERVERS = 3;

    private static final int MIN_EVENTS = 20;
    private static final int MAX_EXTREMITIES = 20;
    private static final Logger LOG = LoggerFactory.getLogger(RoomBackfill.class);

    private final ServerName self;
    private final RoomStore rooms;
    private final EventStore events;
    private final StateStore state;
    private final EventCreator creator;
    private final ReceivedEvents received;
    private final FederationClient client;
    private final Linearizer perRoom = new Linearizer("backfill");

    public RoomBackfill(
            ServerName self,
            RoomStore rooms,
            EventStore events,
            StateStore state,
            EventCreator creator,
            ReceivedEvents received,
            FederationClient client) {
        this.self = self;
        this.rooms = rooms;
        this.events = events;
        this.state = state;
        this.creator = creator;
        this.received = received;
        this.client = client;
    }

    @Override
    public boolean fetchOlder(RoomId room, int wanted) {
        if (events.backwardExtremities(room, 1).isEmpty()) {
            return false; // the whole history is here, as in every room made on this server
        }
        try (Linearizer.Permit ignored = perRoom.acquire(room)) {
            List<EventId> extremities = events.backwardExtremities(room, MAX_EXTREMITIES);
            Optional<RoomVersion> version = rooms.get(room).flatMap(r -> r.version());
            if (extremities.isEmpty() || version.isEmpty()) {
                return false; // another client's backfill got there first
            }
            int limit = Math.clamp(wanted, MIN_EVENTS, MAX_EVENTS);
            for (ServerName server : serversToAsk(room)) {
                if (fetchFrom(server, room, version.get(), extremities, limit)) {
                    return true;
                }
            }
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** The other servers with members joined, those with the most first. */
    private List<ServerName> serversToAsk(RoomId room) {
        Map<ServerName, Integer> members = new HashMap<>();
        for (UserId user : state.joinedMembers(room)) {
            if (!user.server().equals(self)) {
                members.merge(user.server(), 1, Integer::sum);
            }
        }
        return members.entrySet().stream()
                .sorted(Map.Entry.<ServerName, Integer>comparingByValue()
                        .reversed()
                        .thenComparing(e -> e.getKey().toString()))
                .limit(MAX_SERVERS)
                .map(Map.Entry::getKey)
                .toList();
    }

    private boolean fetchFrom(
            ServerName server, RoomId room, RoomVersion version, List<EventId> extremities, int limit) {
        EndpointCall<?, PduTransaction> call = EndpointCall.of(FederationEndpoints.BACKFILL, room);
        for (EventId extremity : extremities) {
            call = call.query("v", extremity.value());
        }
        List<ObjectNode> pdus;
        try {
            pdus = client.send(server, call.query("limit", limit)).pdus();
        } catch (RuntimeException e) {
            LOG.info("backfill of {} from {} failed: {}", room, server, e.getMessage());
            return false;
        }
        List<Pdu> fetched = checked(room, version, pdus.stream().limit(limit).toList());
        int added = 0;
        for (Pdu event : fetched) {
            Optional<StoredEvent> known = events.get(event.eventId());
            if (known.isPresent() && !known.get().outlier()) {
                continue;
            }
            Optional<StateBefore> before = stateBefore(server, room, version, event);
            if (before.isEmpty()) {
                break; // without the state before it, neither it nor what follows it can be placed
            }
            PduVerdict verdict =
                    received.authorize(event, before.get().state(), before.get().state());
            EventContext context = before.get().explicit()
                    ? EventContext.backfilled(Optional.of(before.get().state()))
                    : EventContext.backfilled(Optional.empty());
            switch (verdict) {
                case PduVerdict.Accepted ok -> creator.persistQuietly(event, context);
                case PduVerdict.Rejected rejected -> {
                    LOG.info("backfilled event {} rejected: {}", event.eventId(), rejected.reason());
                    creator.persistQuietly(
                            event,
                            EventContext.backfilledRejected(
                                    rejected.reason(), Optional.of(before.get().state())));
                }
                default -> {
                    LOG.info("backfilled event {} dropped: {}", event.eventId(), verdict);
                    continue;
                }
            }
            added++;
        }
        return added > 0;
    }

    /** The events of {@code pdus} that pass the checks and are of {@code room}, oldest first. */
    private List<Pdu> checked(RoomId room, RoomVersion version, List<ObjectNode> pdus) {
        KeyLookup keys = received.keysFor(pdus);
        Map<EventId, Pdu> out = new LinkedHashMap<>();
        int dropped = 0;
        for (ObjectNode json : pdus) {
            if (received.verify(json, version, keys) instanceof PduVerdict.Accepted ok
                    && ok.event().roomId().equals(room)) {
                out.putIfAbsent(ok.event().eventId(), ok.event());
            } else {
                dropped++;
            }
        }
        if (dropped > 0) {
            LOG.info("backfill of {}: {} events of the answer failed the checks and are left out", room, dropped);
        }
        List<Pdu> ordered = new ArrayList<>(out.values());
        ordered.sort(Comparator.comparingLong(Pdu::depth)
                .thenComparing(p -> p.eventId().value()));
        return ordered;
    }

    /** The state before an event; {@code explicit} when it is not simply the state after its one prev event. */
    private record StateBefore(Map<StateKey, EventId> state, boolean explicit) {}

    private Optional<StateBefore> stateBefore(ServerName server, RoomId room, RoomVersion version, Pdu event) {
        if (event.prevEventIds().isEmpty()) {
            return Optional.of(new StateBefore(Map.of(), true)); // the create event
        }
        Optional<Map<StateKey, EventId>> fromPrevs = received.stateBefore(version, event.prevEventIds());
        if (fromPrevs.isPresent()) {
            return Optional.of(
                    new StateBefore(fromPrevs.get(), event.prevEventIds().size() != 1));
        }
        return fetchState(server, room, version, event).map(s -> new StateBefore(s, true));
    }

    /** The state before {@code event} as {@code server} has it, its events checked and kept as outliers. */
    private Optional<Map<StateKey, EventId>> fetchState(
            ServerName server, RoomId room, RoomVersion version, Pdu event) {
        RoomStateResponse answer;
        try {
            answer = client.send(
                    server,
                    EndpointCall.of(FederationEndpoints.ROOM_STATE, room)
                            .query("event_id", event.eventId().value()));
        } catch (RuntimeException e) {
            LOG.info("state before {} from {} failed: {}", event.eventId(), server, e.getMessage());
            return Optional.empty();
        }
        if (answer.pdus().size() + answer.authChain().size() > RemoteJoins.MAX_JOIN_EVENTS) {
            LOG.info("state before {} from {} is too large", event.eventId(), server);
            return Optional.empty();
        }
        List<Pdu> statePdus = checked(room, version, answer.pdus());
        Map<EventId, Pdu> verified = new LinkedHashMap<>();
        checked(room, version, answer.authChain()).forEach(p -> verified.put(p.eventId(), p));
        statePdus.forEach(p -> verified.put(p.eventId(), p));
        Set<EventId> rejected = ReceivedStateCheck.rejected(
                version, verified, id -> events.get(id).map(StoredEvent::pdu));
        Map<StateKey, EventId> stateMap = new HashMap<>();
        for (Pdu pdu : statePdus) {
            if (!rejected.contains(pdu.eventId()) && pdu.stateKey().isPresent()) {
                stateMap.put(StateKey.of(pdu.type(), pdu.stateKey().get()), pdu.eventId());
            }
        }
        List<Pdu> outliers = new ArrayList<>();
        for (Pdu pdu : verified.values()) {
            if (!rejected.contains(pdu.eventId()) && !events.exists(pdu.eventId())) {
                outliers.add(pdu);
            }
        }
        creator.persistOutliers(outliers);
        return Optional.of(stateMap);
    }
}
