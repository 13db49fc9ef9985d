package dev.myelin.storage.state;

import dev.myelin.core.event.content.Membership;
import dev.myelin.core.id.EventId;
import dev.myelin.core.id.InvalidIdentifierException;
import dev.myelin.core.id.ServerName;
import dev.myelin.core.id.UserId;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * One immutable snapshot of a room's current state as {@link CurrentStateCache} holds it: the event
 * of every key, the membership of every member event, and the joined users sorted by id. A change of
 * a few keys makes a new snapshot that shares the unchanged part ({@link LayeredMap}), so readers never
 * see a half-applied change and a join into a large room does not copy its whole state.
 */
final class RoomCurrentState {
    static final String MEMBER = "m.room.member";
    private static final Comparator<UserId> BY_ID = Comparator.comparing(UserId::toString);

    /** One row of {@code current_state_events}. */
    record Row(EventId event, String membership) {}

    static final RoomCurrentState EMPTY =
            new RoomCurrentState(LayeredMap.empty(), LayeredMap.empty(), List.of(), Map.of());

    private final LayeredMap<StateKey, EventId> ids;
    private final LayeredMap<String, String> memberships;
    private final List<UserId> joined;
    private final Map<ServerName, Integer> joinedPerServer;

    private RoomCurrentState(
            LayeredMap<StateKey, EventId> ids,
            LayeredMap<String, String> memberships,
            List<UserId> joined,
            Map<ServerName, Integer> joinedPerServer) {
        this.ids = ids;
        this.memberships = memberships;
        this.joined = joined;
        this.joinedPerServer = joinedPerServer;
    }

    /** The snapshot of {@code rows}, as read from the database. */
    static RoomCurrentState of(Map<StateKey, Row> rows) {
        return EMPTY.with(rows.entrySet().stream()
                .collect(HashMap::new, (m, e) -> m.put(e.getKey(), Optional.of(e.getValue())), HashMap::putAll));
    }

    /** The state with every key of {@code changes} set to its row, or removed where empty. */
    RoomCurrentState with(Map<StateKey, Optional<Row>> changes) {
        if (changes.isEmpty()) {
            return this;
        }
        Map<StateKey, Optional<EventId>> idChanges = new HashMap<>();
        Map<String, Optional<String>> membershipChanges = new HashMap<>();
        List<UserId> newJoined = new ArrayList<>(joined);
        Map<ServerName, Integer> newPerServer = new HashMap<>(joinedPerServer);
        changes.forEach((key, row) -> {
            idChanges.put(key, row.map(Row::event));
            if (!key.type().equals(MEMBER)) {
                return;
            }
            String membership = row.map(Row::membership).orElse(null);
            String old = memberships.get(key.stateKey());
            membershipChanges.put(key.stateKey(), Optional.ofNullable(membership));
            boolean wasJoined = Membership.JOIN.value().equals(old);
            boolean isJoined = Membership.JOIN.value().equals(membership);
            if (wasJoined != isJoined) {
                userId(key.stateKey()).ifPresent(user -> {
                    int at = Collections.binarySearch(newJoined, user, BY_ID);
                    if (isJoined && at < 0) {
                        newJoined.add(-at - 1, user);
                        newPerServer.merge(user.server(), 1, Integer::sum);
                    } else if (!isJoined && at >= 0) {
                        newJoined.remove(at);
                        newPerServer.computeIfPresent(user.server(), (server, n) -> n > 1 ? n - 1 : null);
                    }
                });
            }
        });
        return new RoomCurrentState(
                ids.with(idChanges),
                memberships.with(membershipChanges),
                Collections.unmodifiableList(newJoined),
                Collections.unmodifiableMap(newPerServer));
    }

    private static Optional<UserId> userId(String stateKey) {
        try {
            return Optional.of(UserId.parse(stateKey));
        } catch (InvalidIdentifierException e) {
            // a member event whose state key is no user id is state, but nobody is joined by it
            return Optional.empty();
        }
    }

    /** Every key's event (unmodifiable). */
    Map<StateKey, EventId> ids() {
        return ids;
    }

    /** The current membership of the user named by a member event's state key, if any. */
    Optional<String> membership(String stateKey) {
        return Optional.ofNullable(memberships.get(stateKey));
    }

    /** How many member events have {@code membership}. */
    long count(String membership) {
        return memberships.values().stream().filter(membership::equals).count();
    }

    /** The joined users, sorted by id (unmodifiable). */
    List<UserId> joined() {
        return joined;
    }

    /** How many users of each server are joined; servers with none are absent (unmodifiable). */
    Map<ServerName, Integer> joinedPerServer() {
        return joinedPerServer;
    }

    /** How much the snapshot weighs in the cache: its number of keys. */
    int size() {
        return ids.size();
    }
}
