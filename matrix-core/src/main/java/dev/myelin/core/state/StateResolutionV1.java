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
 * conflict resolved to the deepest event that passes them (or, when none does, the least deep).
 * Ties in depth go by the SHA-1 of the event id as unsigned bytes, which is the order of its hex
 * form.
 *
 * <p>Each conflicting key of a type is resolved against the state as it stood before that type's
 * pass (the spec leaves open whether the member conflicts see each other's results; the servers
 * that made version 1 rooms resolve them apart), so the result does not depend on any order of
 * keys.
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
            // every key of a type is resolved against the state as it was before that type's pass
            Map<StateTuple, EventId> before = Map.copyOf(resolved);
            conflicts.forEach((key, events) -> {
                if (key.type().equals(type)) {
                    replayUntilRejected(before, key, events).ifPresent(id -> resolved.put(key, id));
                }
            });
        }
        conflicts.forEach((key, events) -> {
            if (!AUTH_TYPES.contains(key.type()) && !events.isEmpty()) {
                List<Pdu> sorted = events.stream()
                        .sorted(Comparator.comparingLong(Pdu::depth)
                                .reversed()
                                .thenComparing(e -> sha1(e.eventId()), Arrays::compareUnsigned))
                        .toList();
                // When none passes, the spec is silent; the last (least deep) one is kept, as the
                // servers that made version 1 rooms have always done, so that they agree.
                Pdu chosen = sorted.stream()
                        .filter(e -> allowed(e, resolved))
                        .findFirst()
                        .orElse(sorted.getLast());
                resolved.put(key, chosen.eventId());
            }
        });
        return resolved;
    }

    /**
     * The first event by ascending depth and descending hash, then each next one while the rules
     * allow it in {@code before} with the previous one at {@code key}: the last one allowed.
     */
    private Optional<EventId> replayUntilRejected(Map<StateTuple, EventId> before, StateTuple key, List<Pdu> events) {
        List<Pdu> sorted = events.stream()
                .sorted(Comparator.comparingLong(Pdu::depth)
                        .thenComparing(e -> sha1(e.eventId()), (a, b) -> Arrays.compareUnsigned(b, a)))
                .toList();
        if (sorted.isEmpty()) {
            return Optional.empty();
        }
        Map<StateTuple, EventId> state = new HashMap<>(before);
        state.put(key, sorted.getFirst().eventId());
        for (Pdu event : sorted.subList(1, sorted.size())) {
            if (!allowed(event, state)) {
                break;
            }
            state.put(key, event.eventId());
        }
        return Optional.of(state.get(key));
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
