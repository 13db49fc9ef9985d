package dev.myelin.server.handler.federation;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.myelin.core.auth.StateTuple;
import dev.myelin.core.crypto.SigningKey;
import dev.myelin.core.event.Pdu;
import dev.myelin.core.event.Pdus;
import dev.myelin.core.id.EventId;
import dev.myelin.core.id.ServerName;
import dev.myelin.core.pdu.KeyLookup;
import dev.myelin.core.pdu.PduVerdict;
import dev.myelin.core.pdu.ReceivedPduCheck;
import dev.myelin.core.pdu.ServerKey;
import dev.myelin.core.room.RoomVersion;
import dev.myelin.core.state.EventLookup;
import dev.myelin.core.state.StateResolver;
import dev.myelin.federation.keys.EventKeys;
import dev.myelin.federation.keys.KeyFetcher;
import dev.myelin.storage.event.EventStore;
import dev.myelin.storage.event.StoredEvent;
import dev.myelin.storage.state.StateKey;
import dev.myelin.storage.state.StateStore;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What handling events from other servers shares: fetching the keys they were signed with, the
 * checks on receipt of a PDU against this server's stores, the state before an event from the
 * states after its {@code prev_events} (resolved when they differ), and events in the form other
 * servers are sent.
 */
public final class ReceivedEvents {
    private final ServerName self;
    private final KeyLookup ownKeys;
    private final KeyFetcher keys;
    private final EventStore events;
    private final StateStore state;

    public ReceivedEvents(
            ServerName self, SigningKey signingKey, KeyFetcher keys, EventStore events, StateStore state) {
        this.self = self;
        this.ownKeys = (server, keyId) -> server.equals(self) && keyId.equals(signingKey.keyId())
                ? Optional.of(ServerKey.unexpiring(signingKey.verifyKey()))
                : Optional.empty();
        this.keys = keys;
        this.events = events;
        this.state = state;
    }

    /** The keys {@code pdus} were signed with, fetched at once. */
    public KeyLookup keysFor(Collection<ObjectNode> pdus) {
        return EventKeys.prefetch(keys, pdus, self, ownKeys);
    }

    /** Steps 1 to 3 of the checks on receipt (format, signatures, content hash). */
    public PduVerdict verify(ObjectNode json, RoomVersion version, KeyLookup keyLookup) {
        return ReceivedPduCheck.verify(json, version, keyLookup);
    }

    /** Steps 4 to 6 against the stored auth events, the given state before and the room's current state. */
    public PduVerdict authorize(Pdu event, Map<StateKey, EventId> stateBefore, Map<StateKey, EventId> current) {
        Map<EventId, StoredEvent> auth = events.getAll(event.authEventIds());
        List<Pdu> authEvents = new ArrayList<>();
        auth.values().forEach(e -> authEvents.add(e.pdu()));
        EventId createId = stateBefore.get(StateKey.of("m.room.create", ""));
        if (event.version().eventFormat().roomIdFromCreateEvent() && createId != null && !auth.containsKey(createId)) {
            // from room version 12 the create event is never cited; the rules still need it
            events.get(createId).ifPresent(e -> authEvents.add(e.pdu()));
        }
        return ReceivedPduCheck.authorize(
                event,
                authEvents,
                id -> auth.containsKey(id) && auth.get(id).rejectionReason().isPresent(),
                pdus(stateBefore),
                pdus(current));
    }

    /**
     * The state before an event whose {@code prev_events} are {@code prevs}: the state after the one
     * prev event, or the resolution of the states after each; empty when one of them is not known
     * with its state (not received, or an outlier).
     */
    public Optional<Map<StateKey, EventId>> stateBefore(RoomVersion version, List<EventId> prevs) {
        return stateBefore(version, prevs, Map.of());
    }

    /**
     * As {@link #stateBefore(RoomVersion, List)}, with the states after prev events not placed
     * here given by {@code gapStates} (as fetched from another server).
     */
    public Optional<Map<StateKey, EventId>> stateBefore(
            RoomVersion version, List<EventId> prevs, Map<EventId, Map<StateKey, EventId>> gapStates) {
        List<Map<StateKey, EventId>> states = new ArrayList<>();
        for (EventId prev : prevs) {
            Optional<Map<StateKey, EventId>> after =
                    state.stateAt(prev).or(() -> Optional.ofNullable(gapStates.get(prev)));
            if (after.isEmpty()) {
                return Optional.empty();
            }
            if (!states.contains(after.get())) {
                states.add(after.get());
            }
        }
        if (states.isEmpty()) {
            return Optional.empty();
        }
        if (states.size() == 1) {
            return Optional.of(states.getFirst());
        }
        return Optional.of(resolve(version, states));
    }

    /** The resolution of {@code states} with matrix-core's state resolution for {@code version}. */
    public Map<StateKey, EventId> resolve(RoomVersion version, List<Map<StateKey, EventId>> states) {
        return resolve(version, states, lookup());
    }

    /**
     * As {@link #resolve(RoomVersion, List)}, where one of the states holds {@code pending}, an
     * event checked but not stored yet.
     */
    public Map<StateKey, EventId> resolveWith(RoomVersion version, List<Map<StateKey, EventId>> states, Pdu pending) {
        EventLookup stored = lookup();
        return resolve(version, states, new EventLookup() {
            @Override
            public Optional<Pdu> find(EventId id) {
                return id.equals(pending.eventId()) ? Optional.of(pending) : stored.find(id);
            }

            @Override
            public boolean isRejected(EventId id) {
                return !id.equals(pending.eventId()) && stored.isRejected(id);
            }
        });
    }

    private static Map<StateKey, EventId> resolve(
            RoomVersion version, List<Map<StateKey, EventId>> states, EventLookup lookup) {
        List<Map<StateTuple, EventId>> sets = new ArrayList<>();
        for (Map<StateKey, EventId> s : states) {
            Map<StateTuple, EventId> set = new HashMap<>();
            s.forEach((k, v) -> set.put(new StateTuple(k.type(), k.stateKey()), v));
            sets.add(set);
        }
        Map<StateTuple, EventId> resolved = StateResolver.resolve(version, sets, lookup);
        Map<StateKey, EventId> out = new HashMap<>();
        resolved.forEach((k, v) -> out.put(StateKey.of(k.type(), k.stateKey()), v));
        return out;
    }

    /** The stored events, for state resolution and auth chains. */
    public EventLookup lookup() {
        return new EventLookup() {
            @Override
            public Optional<Pdu> find(EventId id) {
                return events.get(id).map(StoredEvent::pdu);
            }

            @Override
            public boolean isRejected(EventId id) {
                return events.get(id).map(e -> e.rejectionReason().isPresent()).orElse(false);
            }
        };
    }

    /** {@code event} as other servers are sent it: its signed JSON without local {@code unsigned} data. */
    public static ObjectNode forFederation(Pdu event) {
        ObjectNode json = Pdus.federationJson(event);
        json.remove("unsigned");
        return json;
    }

    /** The stored events of {@code ids}, in the form other servers are sent them. */
    public List<ObjectNode> forFederation(Collection<EventId> ids) {
        List<ObjectNode> out = new ArrayList<>();
        events.getAll(ids).values().stream()
                .filter(e -> e.rejectionReason().isEmpty())
                .forEach(e -> out.add(forFederation(e.pdu())));
        return out;
    }

    private Map<StateTuple, Pdu> pdus(Map<StateKey, EventId> stateMap) {
        Map<EventId, StoredEvent> found = events.getAll(stateMap.values());
        Map<StateTuple, Pdu> out = new HashMap<>();
        stateMap.forEach((k, id) -> {
            StoredEvent e = found.get(id);
            if (e != null) {
                out.put(new StateTuple(k.type(), k.stateKey()), e.pdu());
            }
        });
        return out;
    }
}
