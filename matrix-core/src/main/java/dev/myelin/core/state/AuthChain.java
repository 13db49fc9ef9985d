package dev.myelin.core.state;

import dev.myelin.core.event.Pdu;
import dev.myelin.core.id.EventId;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Auth chains and the auth difference of the v2 state resolution definitions.
 *
 * <p>The auth chain of an event is its auth events and, transitively, theirs; it does not hold the
 * event itself. The walk is iterative and visits each event once, so it is linear in the size of
 * the chain. Auth events the {@link EventLookup} cannot find are in the chain (they are named by
 * an event in it) but their own auth events are not followed.
 *
 * @see <a href="https://spec.matrix.org/v1.19/rooms/v2/#definitions">Definitions: auth chain, auth difference (v2)</a>
 */
public final class AuthChain {
    private AuthChain() {}

    /** The auth chain of {@code event}. */
    public static Set<EventId> of(Pdu event, EventLookup lookup) {
        return of(List.of(event.eventId()), lookup);
    }

    /**
     * The union of the auth chains of the events {@code ids} name. An id in {@code ids} is in the
     * result only when it is in the auth chain of another of them.
     */
    public static Set<EventId> of(Collection<EventId> ids, EventLookup lookup) {
        return walk(ids, lookup, Set.of());
    }

    /** The union of the auth chains of {@code ids}, not entering (nor holding) events in {@code stop}. */
    private static Set<EventId> walk(Collection<EventId> ids, EventLookup lookup, Set<EventId> stop) {
        Set<EventId> chain = new HashSet<>();
        Deque<EventId> pending = new ArrayDeque<>();
        for (EventId id : ids) {
            lookup.find(id).ifPresent(event -> pending.addAll(event.authEventIds()));
        }
        while (!pending.isEmpty()) {
            EventId id = pending.pop();
            if (stop.contains(id) || !chain.add(id)) {
                continue;
            }
            Optional<Pdu> event = lookup.find(id);
            if (event.isPresent()) {
                for (EventId auth : event.get().authEventIds()) {
                    if (!chain.contains(auth)) {
                        pending.push(auth);
                    }
                }
            }
        }
        return chain;
    }

    /**
     * The auth difference of the state sets: the events in the full auth chain of some state set
     * but not of every one, where a state set's full auth chain is the union of the auth chains
     * of its events.
     *
     * @param stateSets the event ids of each state set
     */
    public static Set<EventId> difference(List<? extends Collection<EventId>> stateSets, EventLookup lookup) {
        if (stateSets.isEmpty()) {
            return Set.of();
        }
        // The auth chain of the events every set holds is in every set's full auth chain, so none of
        // it is in the difference: walk it once, then each set's own events only down to it.
        Set<EventId> common = new HashSet<>(stateSets.getFirst());
        for (Collection<EventId> stateSet : stateSets.subList(1, stateSets.size())) {
            common.retainAll(stateSet instanceof Set<EventId> set ? set : new HashSet<>(stateSet));
        }
        Set<EventId> commonChain = of(common, lookup);
        Map<EventId, Integer> counts = new HashMap<>();
        for (Collection<EventId> stateSet : stateSets) {
            List<EventId> own = new ArrayList<>();
            for (EventId id : stateSet) {
                if (!common.contains(id)) {
                    own.add(id);
                }
            }
            for (EventId id : walk(own, lookup, commonChain)) {
                counts.merge(id, 1, Integer::sum);
            }
        }
        Set<EventId> difference = new HashSet<>();
        counts.forEach((id, count) -> {
            if (count < stateSets.size()) {
                difference.add(id);
            }
        });
        return difference;
    }
}
