package dev.myelin.core.state;

import dev.myelin.core.auth.AuthState;
import dev.myelin.core.auth.EventAuthorizer;
import dev.myelin.core.auth.PowerLevels;
import dev.myelin.core.auth.StateTuple;
import dev.myelin.core.event.Pdu;
import dev.myelin.core.id.EventId;
import dev.myelin.core.room.RoomVersion;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.PriorityQueue;
import java.util.Set;
import java.util.TreeSet;
import org.jspecify.annotations.Nullable;

/**
 * The v2 state resolution algorithm and, with {@code v21}, its room version 12 revision: the full
 * conflicted set also holds the conflicted state subgraph, and the iterative auth checks of the
 * power events start from an empty state instead of the unconflicted state map. In room version
 * 12 the create event is never an auth event; the checks read it through the room id.
 *
 * @see <a href="https://spec.matrix.org/v1.19/rooms/v2/#algorithm">Algorithm (v2)</a>
 * @see <a href="https://spec.matrix.org/v1.19/rooms/v12/#algorithm">Algorithm (v12)</a>
 */
final class StateResolutionV2 {
    private static final String MEMBER = "m.room.member";
    private static final String POWER_LEVELS = "m.room.power_levels";
    private static final String JOIN_RULES = "m.room.join_rules";
    private static final String CREATE = "m.room.create";

    private final RoomVersion version;
    private final EventLookup lookup;
    private final boolean v21;
    private final Map<EventId, Long> senderLevels = new HashMap<>();
    private final Map<LevelsSource, PowerLevels> parsedLevels = new HashMap<>();

    /** The create and power levels events a sender's level is read from (either may be absent). */
    private record LevelsSource(
            @Nullable EventId create, @Nullable EventId powerLevels) {}

    StateResolutionV2(RoomVersion version, EventLookup lookup, boolean v21) {
        this.version = version;
        this.lookup = lookup;
        this.v21 = v21;
    }

    Map<StateTuple, EventId> resolve(List<Map<StateTuple, EventId>> stateSets) {
        Map<StateTuple, EventId> unconflicted = new HashMap<>();
        Set<EventId> conflicted = new HashSet<>();
        if (stateSets.isEmpty()) {
            return unconflicted;
        }
        // A key is unconflicted when every set has the first set's value for it; any other key
        // (also one the first set lacks) puts all its values in the conflicted set.
        Map<StateTuple, EventId> first = stateSets.getFirst();
        List<Map<StateTuple, EventId>> rest = stateSets.subList(1, stateSets.size());
        for (Map.Entry<StateTuple, EventId> entry : first.entrySet()) {
            boolean same = true;
            for (Map<StateTuple, EventId> set : rest) {
                if (!entry.getValue().equals(set.get(entry.getKey()))) {
                    same = false;
                    break;
                }
            }
            if (same) {
                unconflicted.put(entry.getKey(), entry.getValue());
            } else {
                addValues(stateSets, entry.getKey(), conflicted);
            }
        }
        for (Map<StateTuple, EventId> set : rest) {
            for (StateTuple key : set.keySet()) {
                if (!first.containsKey(key)) {
                    addValues(stateSets, key, conflicted);
                }
            }
        }
        if (conflicted.isEmpty()) {
            return unconflicted;
        }

        Set<EventId> full = new HashSet<>(conflicted);
        full.addAll(AuthChain.difference(stateSets.stream().map(Map::values).toList(), lookup));
        if (v21) {
            full.addAll(conflictedSubgraph(conflicted));
        }
        Map<EventId, Pdu> fullEvents = new HashMap<>();
        for (EventId id : full) {
            lookup.find(id).ifPresent(e -> fullEvents.put(id, e));
        }

        // Step 1: the power events and their auth chains within the full conflicted set; one walk
        // from all power events at once keeps this linear.
        Set<EventId> powerIds = new HashSet<>();
        for (Pdu event : fullEvents.values()) {
            if (isPowerEvent(event)) {
                powerIds.add(event.eventId());
            }
        }
        for (EventId id : AuthChain.of(List.copyOf(powerIds), lookup)) {
            if (fullEvents.containsKey(id)) {
                powerIds.add(id);
            }
        }
        List<Pdu> powerEvents = reverseTopologicalPowerOrder(powerIds, fullEvents);

        // Step 2.
        Map<StateTuple, EventId> partial =
                iterativeAuthChecks(v21 ? new HashMap<>() : new HashMap<>(unconflicted), powerEvents);

        // Step 3.
        List<Pdu> others = new ArrayList<>();
        fullEvents.forEach((id, event) -> {
            if (!powerIds.contains(id)) {
                others.add(event);
            }
        });
        Optional<Pdu> powerLevels =
                Optional.ofNullable(partial.get(StateTuple.POWER_LEVELS)).flatMap(lookup::find);
        others.sort(new MainlineOrder(powerLevels, lookup).comparator());

        // Steps 4 and 5.
        Map<StateTuple, EventId> resolved = iterativeAuthChecks(partial, others);
        resolved.putAll(unconflicted);
        return resolved;
    }

    private static void addValues(List<Map<StateTuple, EventId>> stateSets, StateTuple key, Set<EventId> into) {
        for (Map<StateTuple, EventId> set : stateSets) {
            EventId id = set.get(key);
            if (id != null) {
                into.add(id);
            }
        }
    }

    /**
     * The events on auth-event paths from one conflicted event to another, endpoints included:
     * those reachable from a conflicted event that themselves reach one.
     */
    Set<EventId> conflictedSubgraph(Set<EventId> conflicted) {
        Set<EventId> reachable = new HashSet<>(conflicted);
        reachable.addAll(AuthChain.of(conflicted, lookup));
        Map<EventId, List<EventId>> citedBy = new HashMap<>();
        for (EventId id : reachable) {
            lookup.find(id).ifPresent(event -> {
                for (EventId auth : event.authEventIds()) {
                    if (reachable.contains(auth)) {
                        citedBy.computeIfAbsent(auth, k -> new ArrayList<>()).add(id);
                    }
                }
            });
        }
        Set<EventId> subgraph = new HashSet<>();
        Deque<EventId> pending = new ArrayDeque<>(conflicted);
        while (!pending.isEmpty()) {
            EventId id = pending.pop();
            if (subgraph.add(id)) {
                pending.addAll(citedBy.getOrDefault(id, List.of()));
            }
        }
        return subgraph;
    }

    /**
     * Power levels, join rules, and kicks and bans. The create event counts too, as the servers
     * deployed treat it, although it can only be in the full conflicted set of a broken room.
     */
    private static boolean isPowerEvent(Pdu event) {
        if (event.stateKey().isEmpty()) {
            return false;
        }
        return switch (event.type()) {
            case POWER_LEVELS, JOIN_RULES, CREATE -> event.stateKey().get().isEmpty();
            case MEMBER -> {
                String membership = event.content().path("membership").asText("");
                yield (membership.equals("leave") || membership.equals("ban"))
                        && !event.stateKey().get().equals(event.sender().toString());
            }
            default -> false;
        };
    }

    /** Kahn's algorithm over the auth events within {@code ids}, taking the smallest ready event each step. */
    private List<Pdu> reverseTopologicalPowerOrder(Set<EventId> ids, Map<EventId, Pdu> events) {
        Map<EventId, Integer> waitingOn = new HashMap<>();
        Map<EventId, List<EventId>> citedBy = new HashMap<>();
        for (EventId id : ids) {
            int count = 0;
            for (EventId auth : new TreeSet<>(events.get(id).authEventIds())) {
                if (ids.contains(auth)) {
                    count++;
                    citedBy.computeIfAbsent(auth, k -> new ArrayList<>()).add(id);
                }
            }
            waitingOn.put(id, count);
        }
        Comparator<Pdu> order = Comparator.<Pdu>comparingLong(e -> -senderLevel(e))
                .thenComparingLong(Pdu::originServerTs)
                .thenComparing(Pdu::eventId);
        PriorityQueue<Pdu> ready = new PriorityQueue<>(order);
        waitingOn.forEach((id, count) -> {
            if (count == 0) {
                ready.add(events.get(id));
            }
        });
        List<Pdu> sorted = new ArrayList<>(ids.size());
        while (!ready.isEmpty()) {
            Pdu next = ready.poll();
            sorted.add(next);
            for (EventId child : citedBy.getOrDefault(next.eventId(), List.of())) {
                if (waitingOn.merge(child, -1, Integer::sum) == 0) {
                    ready.add(events.get(child));
                }
            }
        }
        return sorted;
    }

    /** The sender's power level as the event's own auth events give it. */
    private long senderLevel(Pdu event) {
        return senderLevels.computeIfAbsent(event.eventId(), id -> {
            Pdu create = null;
            Pdu powerLevels = null;
            for (EventId authId : event.authEventIds()) {
                Optional<Pdu> auth = lookup.find(authId);
                if (auth.isPresent() && auth.get().isState(CREATE, "")) {
                    create = auth.get();
                } else if (auth.isPresent() && auth.get().isState(POWER_LEVELS, "")) {
                    powerLevels = auth.get();
                }
            }
            if (create == null) {
                create = createOfRoom(event).orElse(null);
            }
            if (event.isState(CREATE, "")) {
                create = event;
            }
            Pdu createEvent = create;
            Pdu levelsEvent = powerLevels;
            return parsedLevels
                    .computeIfAbsent(
                            new LevelsSource(
                                    createEvent == null ? null : createEvent.eventId(),
                                    levelsEvent == null ? null : levelsEvent.eventId()),
                            k -> PowerLevels.of(version, createEvent, levelsEvent))
                    .userLevel(event.sender());
        });
    }

    /** The create event the room id names, in room versions whose room ids do so. */
    private Optional<Pdu> createOfRoom(Pdu event) {
        if (!version.eventFormat().roomIdFromCreateEvent()) {
            return Optional.empty();
        }
        return event.roomId().createEventId().flatMap(lookup::find);
    }

    /**
     * Applies each event in turn to {@code state} when the authorization rules allow it against
     * that state, falling back to the event's own auth events for keys the state lacks.
     */
    private Map<StateTuple, EventId> iterativeAuthChecks(Map<StateTuple, EventId> state, List<Pdu> events) {
        for (Pdu event : events) {
            if (event.stateKey().isEmpty()) {
                continue;
            }
            Map<StateTuple, Pdu> fromAuthEvents = new HashMap<>();
            for (EventId authId : event.authEventIds()) {
                if (lookup.isRejected(authId)) {
                    continue;
                }
                lookup.find(authId)
                        .filter(Pdu::isState)
                        .ifPresent(auth -> fromAuthEvents.put(
                                new StateTuple(auth.type(), auth.stateKey().get()), auth));
            }
            AuthState authState = (type, stateKey) -> {
                StateTuple key = new StateTuple(type, stateKey);
                EventId id = state.get(key);
                if (id != null) {
                    return lookup.find(id);
                }
                Pdu auth = fromAuthEvents.get(key);
                if (auth != null) {
                    return Optional.of(auth);
                }
                return key.equals(StateTuple.CREATE) ? createOfRoom(event) : Optional.empty();
            };
            if (EventAuthorizer.check(event, authState).isAllowed()) {
                state.put(new StateTuple(event.type(), event.stateKey().get()), event.eventId());
            }
        }
        return state;
    }
}
