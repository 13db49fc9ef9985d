package dev.myelin.core.state;

import dev.myelin.core.auth.StateTuple;
import dev.myelin.core.id.EventId;
import dev.myelin.core.room.RoomVersion;
import java.util.List;
import java.util.Map;

/**
 * Resolves several room states into one with the algorithm the room version names: v1 for room
 * version 1, v2 for room versions 2 to 11, v2.1 for room version 12. The result depends only on the state sets (as
 * sets: their order and the order of their entries do not matter) and the events the lookup
 * returns.
 *
 * @see <a href="https://spec.matrix.org/v1.19/rooms/v1/#state-resolution">State resolution (v1)</a>
 * @see <a href="https://spec.matrix.org/v1.19/rooms/v2/#state-resolution">State resolution (v2)</a>
 * @see <a href="https://spec.matrix.org/v1.19/rooms/v12/#state-resolution">State resolution (v2.1, room version 12)</a>
 */
public final class StateResolver {
    private StateResolver() {}

    /**
     * The resolution of {@code stateSets}, each a map from event type and state key to the id of
     * the state event there.
     *
     * @param version the room's version; its state resolution flag picks the algorithm
     * @param stateSets the states to resolve, for example the states after each of an event's
     *     {@code prev_events}
     * @param lookup finds the events of the state sets and of their auth chains
     * @return the resolved state
     */
    public static Map<StateTuple, EventId> resolve(
            RoomVersion version, List<Map<StateTuple, EventId>> stateSets, EventLookup lookup) {
        return switch (version.stateResolution()) {
            case V2 -> new StateResolutionV2(version, lookup, false).resolve(stateSets);
            case V2_1 -> new StateResolutionV2(version, lookup, true).resolve(stateSets);
            case V1 -> new StateResolutionV1(version, lookup).resolve(stateSets);
        };
    }
}
