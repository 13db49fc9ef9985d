package dev.myelin.core.state;

import dev.myelin.core.event.Pdu;
import dev.myelin.core.id.EventId;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The mainline ordering based on a power levels event: events whose power levels chain meets the
 * mainline earlier (further from the given event) come first, then by {@code origin_server_ts},
 * then by event id.
 *
 * @see <a href="https://spec.matrix.org/v1.19/rooms/v2/#definitions">Definitions: mainline ordering (v2)</a>
 */
final class MainlineOrder {
    /** The position of events whose chain never meets the mainline: after every real position. */
    private static final int OFF_MAINLINE = Integer.MAX_VALUE;

    private final EventLookup lookup;
    private final Map<EventId, Integer> mainline = new HashMap<>();
    private final Map<EventId, Integer> positions = new HashMap<>();

    MainlineOrder(Optional<Pdu> powerLevels, EventLookup lookup) {
        this.lookup = lookup;
        Optional<Pdu> current = powerLevels;
        int index = 0;
        while (current.isPresent() && !mainline.containsKey(current.get().eventId())) {
            mainline.put(current.get().eventId(), index++);
            current = powerLevelsAuthEvent(current.get());
        }
    }

    Comparator<Pdu> comparator() {
        return Comparator.<Pdu>comparingInt(e -> -position(e))
                .thenComparingLong(Pdu::originServerTs)
                .thenComparing(Pdu::eventId);
    }

    /** The mainline index of the first power levels event in {@code event}'s chain (not the event itself) on the mainline. */
    int position(Pdu event) {
        Integer known = positions.get(event.eventId());
        if (known != null) {
            return known;
        }
        Set<EventId> walked = new LinkedHashSet<>();
        int position = OFF_MAINLINE;
        Optional<Pdu> next = powerLevelsAuthEvent(event);
        while (next.isPresent()) {
            EventId id = next.get().eventId();
            Integer index = mainline.get(id);
            if (index != null) {
                position = index;
                break;
            }
            Integer cached = positions.get(id);
            if (cached != null) {
                position = cached;
                break;
            }
            if (!walked.add(id)) {
                break;
            }
            next = powerLevelsAuthEvent(next.get());
        }
        positions.put(event.eventId(), position);
        for (EventId id : walked) {
            positions.put(id, position);
        }
        return position;
    }

    private Optional<Pdu> powerLevelsAuthEvent(Pdu event) {
        for (EventId id : event.authEventIds()) {
            Optional<Pdu> auth = lookup.find(id);
            if (auth.isPresent() && auth.get().isState("m.room.power_levels", "")) {
                return auth;
            }
        }
        return Optional.empty();
    }
}
