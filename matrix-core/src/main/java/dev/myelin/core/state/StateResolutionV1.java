package dev.myelin.core.state;

import dev.myelin.core.auth.AuthState;
import dev.myelin.core.auth.EventAuthorizer;
import dev.myelin.core.auth.StateTuple;
import dev.myelin.core.event.Pdu;
import dev.myelin.core.id.EventId;
import dev.myelin.core.room.RoomVersion;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/**
 * The state resolution algorithm of room version 1: the union of the states without the
 * conflicting keys, then the conflicts of power levels, join rules and memberships resolved by
 * replaying them in depth order until one fails the authorization rules, then every other
 * conflict resolved to the deepest event that passes them.
 *
 * <p>Conflicting keys of one type are resolved in the order of their state keys, so the result
 * does not depend on the input order; the spec leaves that order open.
 *
 * @see <a href="https://spec.matrix.org/v1.19/rooms/v1/#state-resolution">State resolution (v1)</a>
 */
final class StateResolutionV1 {
    private static final List<String> AUTH_TYPES = List.of("m.room.power_levels", "m.room.join_rules", "m.room.member");

    private final RoomVersion version;
    private final EventLookup lookup;

    StateResolutionV1(RoomVersion version, EventLookup lookup) {
        this.version = version;
        this.lookup = lookup;
    }

    Map<StateTuple, EventId> resolve(List<Map<StateTuple, EventId>> stateSets) {
        Map<StateTuple, Set<EventId>> values = new HashMap<>();
        for (Map<StateTuple, EventId> set : stateSets) {
            set.forEach((key, id) ->
                    values.computeIfAbsent(key, k -> new HashSet<>()).add(id));
        }
        Map<StateTuple, EventId> resolved = new HashMap<>();
        Map<StateTuple, List<Pdu>> conflicts =
                new TreeMap<>(Comparator.comparing(StateTuple::type).thenComparing(StateTuple::stateKey));
        values.forEach((key, ids) -> {
            if (ids.size() == 1) {
                resolved.put(key, ids.iterator().next());
            } else {
                List<Pdu> events = new ArrayList<>();
                ids.forEach(id -> lookup.find(id).ifPresent(events::add));
                conflicts.put(key, events);
            }
        });
        for (String type : AUTH_TYPES) {
            conflicts.forEach((key, events) -> {
                if (key.type().equals(type)) {
                    replayUntilRejected(resolved, key, events);
                }
            });
        }
        conflicts.forEach((key, events) -> {
            if (!AUTH_TYPES.contains(key.type())) {
                events.stream()
                        .sorted(Comparator.comparingLong(Pdu::depth)
                                .reversed()
                                .thenComparing(e -> sha1(e.eventId()), Arrays::compare))
                        .filter(e -> allowed(e, resolved))
                        .findFirst()
                        .ifPresent(e -> resolved.put(key, e.eventId()));
            }
        });
        return resolved;
    }

    /** The first event by ascending depth and descending hash, then each next one while the rules allow it. */
    private void replayUntilRejected(Map<StateTuple, EventId> resolved, StateTuple key, List<Pdu> events) {
        List<Pdu> sorted = events.stream()
                .sorted(Comparator.comparingLong(Pdu::depth)
                        .thenComparing(e -> sha1(e.eventId()), (a, b) -> Arrays.compare(b, a)))
                .toList();
        if (sorted.isEmpty()) {
            return;
        }
        resolved.put(key, sorted.getFirst().eventId());
        for (Pdu event : sorted.subList(1, sorted.size())) {
            if (!allowed(event, resolved)) {
                return;
            }
            resolved.put(key, event.eventId());
        }
    }

    private boolean allowed(Pdu event, Map<StateTuple, EventId> state) {
        AuthState authState = (type, stateKey) ->
                Optional.ofNullable(state.get(new StateTuple(type, stateKey))).flatMap(lookup::find);
        return EventAuthorizer.check(event, authState).isAllowed();
    }

    private static byte[] sha1(EventId id) {
        try {
            return MessageDigest.getInstance("SHA-1").digest(id.value().getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-1 is a required JDK algorithm", e);
        }
    }
}
