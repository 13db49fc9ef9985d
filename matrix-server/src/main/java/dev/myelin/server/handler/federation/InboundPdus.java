package dev.myelin.server.handler.federation;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.myelin.core.auth.PowerLevels;
import dev.myelin.core.event.Pdu;
import dev.myelin.core.id.EventId;
import dev.myelin.core.id.RoomId;
import dev.myelin.core.id.ServerName;
import dev.myelin.core.pdu.KeyLookup;
import dev.myelin.core.pdu.PduCheckStep;
import dev.myelin.core.pdu.PduVerdict;
import dev.myelin.core.room.RoomVersion;
import dev.myelin.federation.api.FederationEndpoints;
import dev.myelin.federation.api.MissingEventsRequest;
import dev.myelin.federation.api.MissingEventsResponse;
import dev.myelin.federation.client.FederationClient;
import dev.myelin.http.endpoint.EndpointCall;
import dev.myelin.server.handler.room.EventCreator;
import dev.myelin.storage.event.EventStore;
import dev.myelin.storage.event.StoredEvent;
import dev.myelin.storage.persist.EventContext;
import dev.myelin.storage.room.Room;
import dev.myelin.storage.room.RoomStore;
import dev.myelin.storage.state.StateKey;
import dev.myelin.storage.state.StateStore;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The PDUs of a {@code /send} transaction: each one of a room this server is in goes through the
 * checks on receipt (format, signatures, hashes, then the authorization rules against its auth
 * events, the state before it and the current state) and is stored accordingly: accepted events
 * join the room's timeline and state and reach clients; rejected ones are kept as rejected;
 * soft-failed ones are kept outside the timeline. PDUs of rooms this server is not in are
 * ignored, as the spec allows.
 *
 * <p>An event whose {@code prev_events} are not all known here is placed once the events between
 * it and the room's forward extremities are fetched from the sending server ({@code
 * get_missing_events}, at most {@value #MISSING_EVENTS_LIMIT}, checked like any PDU); a fetched
 * event whose own prev events are still unknown is placed on the state at that gap, asked of the
 * sender ({@link StateAtGap}). The event the sender pushed must end up with all its prev events
 * placed, else it is answered with an error and not stored. A redaction of an event of another
 * room is rejected; from room version 3 one the receiver may not apply is kept unapplied. As
 * Synapse answers, a rejected or soft-failed event is an empty result in the answer: the sender
 * did its part.
 *
 * @see <a href="https://spec.matrix.org/v1.19/server-server-api/#checks-performed-on-receipt-of-a-pdu">Checks performed on receipt of a PDU</a>
 */
public final class InboundPdus {
    /** How many missing events are asked for to fill a gap before an event. */
    static final int MISSING_EVENTS_LIMIT = 20;

    private static final String MISSING_PREVS = "Some of the event's prev_events are not known here";
    private static final Logger LOG = LoggerFactory.getLogger(InboundPdus.class);

    private final ServerName self;
    private final RoomStore rooms;
    private final EventStore events;
    private final StateStore state;
    private final EventCreator creator;
    private final ReceivedEvents received;
    private final RoomServerAcls acls;
    private final FederationClient client;
    private final StateAtGap gaps;
    private final OutOfBandMemberships outOfBand;

    public InboundPdus(
            ServerName self,
            RoomStore rooms,
            EventStore events,
            StateStore state,
            EventCreator creator,
            ReceivedEvents received,
            RoomServerAcls acls,
            FederationClient client,
            OutOfBandMemberships outOfBand) {
        this.self = self;
        this.outOfBand = outOfBand;
        this.rooms = rooms;
        this.events = events;
        this.state = state;
        this.creator = creator;
        this.received = received;
        this.acls = acls;
        this.client = client;
        this.gaps = new StateAtGap(events, creator, received, client);
    }

    /** Processes {@code pdus} from {@code origin} in order; the answer's {@code pdus} object. */
    public ObjectNode receive(ServerName origin, JsonNode pdus) {
        ObjectNode results = JsonNodeFactory.instance.objectNode();
        List<ObjectNode> ours = new ArrayList<>();
        Map<ObjectNode, RoomVersion> versions = new LinkedHashMap<>();
        Set<ObjectNode> concerningUsers = new HashSet<>();
        for (JsonNode pdu : pdus) {
            if (!(pdu instanceof ObjectNode json) || !json.path("room_id").isTextual()) {
                continue;
            }
            Optional<RoomVersion> version = roomWeAreIn(json.get("room_id").asText());
            if (version.isEmpty()) {
                // a room this server is not in: only a kick ending a local user's knock or invite counts
                version = outOfBand.versionFor(origin, json);
                version.ifPresent(v -> concerningUsers.add(json));
            }
            if (version.isPresent()) {
                ours.add(json);
                versions.put(json, version.get());
            }
        }
        if (ours.isEmpty()) {
            return results;
        }
        KeyLookup keys = received.keysFor(ours);
        for (ObjectNode json : ours) {
            RoomVersion version = versions.get(json);
            PduVerdict verified = received.verify(json, version, keys);
            if (!(verified instanceof PduVerdict.Accepted accepted)) {
                String reason = verified instanceof PduVerdict.Dropped d ? d.reason() : String.valueOf(verified);
                LOG.info("PDU from {} dropped: {}", origin, reason);
                continue;
            }
            Pdu event = accepted.event();
            if (concerningUsers.contains(json)) {
                outOfBand.receive(origin, event);
                results.putObject(event.eventId().value());
                continue;
            }
            Optional<String> error = acls.allows(event.roomId(), origin)
                    ? placeFillingGaps(origin, event)
                    : Optional.of("Server is banned from room");
            ObjectNode result = results.putObject(event.eventId().value());
            error.ifPresent(e -> result.put("error", e));
        }
        return results;
    }

    /**
     * Places {@code event}, first fetching from {@code origin} the events missing before it; a
     * fetched event whose own prev events are still unknown gets the state after each of them from
     * {@code origin} ({@link StateAtGap}). The fetches happen outside the room's lock, so local
     * sends are not held up by another server.
     */
    private Optional<String> placeFillingGaps(ServerName origin, Pdu event) {
        Optional<String> first = process(event, Map.of());
        if (first.isEmpty() || !first.get().equals(MISSING_PREVS)) {
            return first;
        }
        for (Pdu missing : fetchMissing(origin, event)) {
            Optional<String> placed = process(missing, Map.of());
            if (placed.isPresent() && placed.get().equals(MISSING_PREVS)) {
                process(missing, gapStates(origin, missing));
            }
        }
        // an event pushed to this server must not stand on a state its sender would not divulge
        return process(event, Map.of());
    }

    /** The states after the prev events of {@code event} that are not placed here, from {@code origin}. */
    private Map<EventId, Map<StateKey, EventId>> gapStates(ServerName origin, Pdu event) {
        Map<EventId, Map<StateKey, EventId>> states = new HashMap<>();
        for (EventId prev : event.prevEventIds()) {
            if (state.stateAt(prev).isPresent() || states.containsKey(prev)) {
                continue;
            }
            Optional<Map<StateKey, EventId>> after = gaps.stateAfter(origin, event.roomId(), event.version(), prev);
            if (after.isEmpty()) {
                return states;
            }
            states.put(prev, after.get());
        }
        return states;
    }

    /** The events between the room's forward extremities and {@code event}, oldest first, checked. */
    private List<Pdu> fetchMissing(ServerName origin, Pdu event) {
        RoomId room = event.roomId();
        List<String> earliest =
                events.forwardExtremities(room).stream().map(EventId::value).toList();
        MissingEventsResponse answer;
        try {
            answer = client.send(
                    origin,
                    EndpointCall.of(
                            FederationEndpoints.GET_MISSING_EVENTS,
                            new MissingEventsRequest(
                                    earliest,
                                    List.of(event.eventId().value()),
                                    (long) MISSING_EVENTS_LIMIT,
                                    Math.max(0, event.depth() - MISSING_EVENTS_LIMIT - 1)),
                            room));
        } catch (RuntimeException e) {
            LOG.info("get_missing_events for {} from {} failed: {}", event.eventId(), origin, e.getMessage());
            return List.of();
        }
        if (answer.events().size() > MISSING_EVENTS_LIMIT) {
            LOG.warn(
                    "get_missing_events for {} from {}: {} events given, only the first {} are looked at",
                    event.eventId(),
                    origin,
                    answer.events().size(),
                    MISSING_EVENTS_LIMIT);
        }
        List<ObjectNode> jsons =
                answer.events().stream().limit(MISSING_EVENTS_LIMIT).toList();
        KeyLookup keys = received.keysFor(jsons);
        List<Pdu> checked = new ArrayList<>();
        for (ObjectNode json : jsons) {
            if (received.verify(json, event.version(), keys) instanceof PduVerdict.Accepted ok
                    && ok.event().roomId().equals(room)) {
                checked.add(ok.event());
            }
        }
        if (checked.size() < jsons.size()) {
            LOG.info(
                    "get_missing_events for {} from {}: {} events were not valid and are left out",
                    event.eventId(),
                    origin,
                    jsons.size() - checked.size());
        }
        checked.sort(Comparator.comparingLong(Pdu::depth));
        return checked;
    }

    /**
     * Stores one checked event, with the states after prev events not placed here given by {@code
     * gapStates}; an error for the answer when it could not be placed.
     */
    private Optional<String> process(Pdu event, Map<EventId, Map<StateKey, EventId>> gapStates) {
        RoomId room = event.roomId();
        return creator.withRoomLocked(room, () -> {
            if (events.exists(event.eventId())) {
                return Optional.empty();
            }
            Optional<Map<StateKey, EventId>> before =
                    received.stateBefore(event.version(), event.prevEventIds(), gapStates);
            if (before.isEmpty()) {
                LOG.info("PDU {} of {} not placed: some of its prev_events are not known here", event.eventId(), room);
                return Optional.of(MISSING_PREVS);
            }
            Map<StateKey, EventId> current = state.currentState(room);
            PduVerdict verdict = received.authorize(event, before.get(), current);
            Optional<StoredEvent> redacted = event.redacts().flatMap(events::get);
            if (verdict instanceof PduVerdict.Accepted
                    && redacted.isPresent()
                    && !redacted.get().pdu().roomId().equals(room)) {
                verdict = new PduVerdict.Rejected(
                        event, PduCheckStep.AUTH_EVENTS, "m.room.redaction: the redacted event is in another room");
            }
            // the state before is inherited from a single prev event placed here, else given
            boolean inherited = event.prevEventIds().size() == 1 && gapStates.isEmpty();
            switch (verdict) {
                case PduVerdict.Accepted ok -> {
                    // a single prev event that is not the room's only extremity is a fork all the same
                    boolean onTheOnlyBranch =
                            inherited && event.prevEventIds().containsAll(events.forwardExtremities(room));
                    EventContext context =
                            onTheOnlyBranch ? EventContext.normal() : withCurrentState(event, before.get(), current);
                    boolean applies = redacted.isEmpty()
                            || redactionApplies(event, redacted.get().pdu(), before.get());
                    creator.persistReceived(event, applies ? context : context.withRedactionUnapplied());
                }
                case PduVerdict.Rejected rejected -> {
                    LOG.info("PDU {} rejected: {}", event.eventId(), rejected.reason());
                    creator.persistQuietly(
                            event,
                            new EventContext(
                                    false,
                                    Optional.of(rejected.reason()),
                                    inherited ? Optional.empty() : Optional.of(before.get()),
                                    Optional.empty()));
                }
                case PduVerdict.SoftFailed softFailed -> {
                    // kept, but neither in the timeline nor in the current state
                    LOG.info("PDU {} soft-failed: {}", event.eventId(), softFailed.reason());
                    creator.persistQuietly(event, EventContext.outlierEvent());
                }
                case PduVerdict.Dropped dropped -> {
                    return Optional.of(dropped.reason());
                }
            }
            return Optional.empty();
        });
    }

    /**
     * The context of an event placed with a resolved state before it: when it leaves some of the
     * room's forward extremities standing, the room's current state is the resolution of the
     * current state and the state after the event, not the state after the event alone.
     */
    private EventContext withCurrentState(Pdu event, Map<StateKey, EventId> before, Map<StateKey, EventId> current) {
        EventContext context = EventContext.withStateBefore(before);
        if (event.prevEventIds().containsAll(events.forwardExtremities(event.roomId()))) {
            return context;
        }
        Map<StateKey, EventId> after = new HashMap<>(before);
        event.stateKey().ifPresent(key -> after.put(StateKey.of(event.type(), key), event.eventId()));
        return context.withCurrentState(received.resolveWith(event.version(), List.of(current, after), event));
    }

    /**
     * Whether {@code redaction} redacts {@code target}: from room version 3 the authorization rules
     * accept any redaction, and the receiver applies one only when its sender's server is the
     * target's sender's, or the sender has the redact level in the state before it.
     *
     * @see <a href="https://spec.matrix.org/v1.19/rooms/v3/#handling-redactions">Handling redactions (v3)</a>
     */
    private boolean redactionApplies(Pdu redaction, Pdu target, Map<StateKey, EventId> before) {
        if (redaction.version().auth().redactionSenderDomainCheck()
                || redaction.sender().server().equals(target.sender().server())) {
            return true;
        }
        Pdu create = Optional.ofNullable(before.get(StateKey.of("m.room.create", "")))
                .flatMap(events::get)
                .map(StoredEvent::pdu)
                .orElse(null);
        Pdu powerLevels = Optional.ofNullable(before.get(StateKey.of("m.room.power_levels", "")))
                .flatMap(events::get)
                .map(StoredEvent::pdu)
                .orElse(null);
        PowerLevels levels = PowerLevels.of(redaction.version(), create, powerLevels);
        return levels.userLevel(redaction.sender()) >= levels.redact();
    }

    /** The version of {@code roomId} when this server is in it (one of its users is joined). */
    private Optional<RoomVersion> roomWeAreIn(String roomId) {
        RoomId room;
        try {
            room = RoomId.parse(roomId);
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
        Optional<Room> known = rooms.get(room);
        if (known.isEmpty()
                || state.joinedMembers(room).stream().noneMatch(u -> u.server().equals(self))) {
            return Optional.empty();
        }
        return known.get().version();
    }
}
