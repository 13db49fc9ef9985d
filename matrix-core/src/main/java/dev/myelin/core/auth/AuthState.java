package dev.myelin.core.auth;

import dev.myelin.core.event.Pdu;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The room state the authorization rules read: the event's auth events, the state before the
 * event, or the room's current state, depending on which of the checks on receipt of a PDU is
 * being made. The rules only look up the state events they need, so an implementation may be
 * backed by a map, a database snapshot or a state resolution in progress.
 *
 * <p>In room version 12 the create event is never an auth event, but the rules still read it:
 * the state must answer {@code get("m.room.create", "")} with the create event the room id names.
 *
 * @see <a href="https://spec.matrix.org/v1.19/server-server-api/#checks-performed-on-receipt-of-a-pdu">Checks performed on receipt of a PDU</a>
 */
@FunctionalInterface
public interface AuthState {

    /** The state event of {@code type} with {@code stateKey}, if the state has one. */
    Optional<Pdu> get(String type, String stateKey);

    /**
     * The state event at {@code key}, if the state has one.
     *
     * @param key the event type and state key
     * @return the event
     */
    default Optional<Pdu> get(StateTuple key) {
        return get(key.type(), key.stateKey());
    }

    /** A state with no events. */
    static AuthState empty() {
        return (type, stateKey) -> Optional.empty();
    }

    /**
     * A state holding {@code events}, keyed by type and state key; events without a state key are
     * ignored.
     *
     * @throws IllegalArgumentException when two events share a type and state key
     */
    static AuthState of(Collection<Pdu> events) {
        Map<StateTuple, Pdu> map = new HashMap<>();
        for (Pdu event : events) {
            if (event.stateKey().isEmpty()) {
                continue;
            }
            StateTuple key = new StateTuple(event.type(), event.stateKey().get());
            Pdu previous = map.put(key, event);
            if (previous != null && !previous.eventId().equals(event.eventId())) {
                throw new IllegalArgumentException(
                        "two state events for " + key + ": " + previous.eventId() + " and " + event.eventId());
            }
        }
        return (type, stateKey) -> Optional.ofNullable(map.get(new StateTuple(type, stateKey)));
    }
}
