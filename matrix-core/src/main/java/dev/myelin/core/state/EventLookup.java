package dev.myelin.core.state;

import dev.myelin.core.event.Pdu;
import dev.myelin.core.id.EventId;
import java.util.Collection;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Finds events by id for state resolution: the events of the state sets and of their auth chains.
 * An event the lookup cannot find (not fetched, or rejected on its auth chain) is left out of the
 * computations that need its content.
 *
 * @see <a href="https://spec.matrix.org/v1.19/rooms/v2/#rejected-events">Rejected events (v2)</a>
 */
@FunctionalInterface
public interface EventLookup {

    /** The event with {@code id}, if it is known and usable. */
    Optional<Pdu> find(EventId id);

    /**
     * Whether the event with {@code id} was rejected. The iterative auth checks never fall back on a
     * rejected auth event; an event rejected only against the state before it is still resolved as
     * state like any other. None is, unless the lookup says so.
     *
     * @see <a href="https://spec.matrix.org/v1.19/rooms/v2/#rejected-events">Rejected events (v2)</a>
     */
    default boolean isRejected(EventId id) {
        return false;
    }

    /** A lookup over {@code events}, keyed by their ids. */
    static EventLookup of(Collection<Pdu> events) {
        Map<EventId, Pdu> byId =
                events.stream().collect(Collectors.toUnmodifiableMap(Pdu::eventId, Function.identity(), (a, b) -> a));
        return id -> Optional.ofNullable(byId.get(id));
    }
}
