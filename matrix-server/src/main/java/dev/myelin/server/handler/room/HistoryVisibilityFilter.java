package dev.myelin.server.handler.room;

import dev.myelin.core.event.Redaction;
import dev.myelin.core.event.content.HistoryVisibility;
import dev.myelin.core.id.EventId;
import dev.myelin.core.id.RoomId;
import dev.myelin.core.id.UserId;
import dev.myelin.server.handler.accountdata.IgnoredUsers;
import dev.myelin.storage.account.ErasedUserStore;
import dev.myelin.storage.event.EventStore;
import dev.myelin.storage.event.RoomPosition;
import dev.myelin.storage.event.StoredEvent;
import dev.myelin.storage.state.StateKey;
import dev.myelin.storage.state.StateStore;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Decides which events of a room a user may see, from the {@code m.room.history_visibility} and
 * the user's membership in the state at each event, as the spec's history visibility rules say:
 * world_readable allows; a joined user sees; {@code shared} events are seen by users who joined at
 * any point after them; {@code invited} events by users invited at the time. A history visibility
 * event, and the user's own member events, are visible when the rules allow them with the state
 * before or after them. Messages of users the reader ignores are left out, and the events of
 * erased users are redacted for readers who were not joined when they were sent. Every read path
 * of events runs its events through here.
 *
 * @see <a href="https://spec.matrix.org/v1.19/client-server-api/#server-behaviour-7">History visibility</a>
 */
public final class HistoryVisibilityFilter {
    private static final StateKey HISTORY_VISIBILITY = StateKey.of("m.room.history_visibility", "");
    /** How many of the user's past member events are walked to find when they were last joined. */
    private static final int MAX_MEMBERSHIP_WALK = 20;

    private final EventStore eventStore;
    private final StateStore stateStore;
    private final RoomStateReader state;
    private final IgnoredUsers ignoredUsers;
    private final ErasedUserStore erased;

    public HistoryVisibilityFilter(
            EventStore eventStore,
            StateStore stateStore,
            RoomStateReader state,
            IgnoredUsers ignoredUsers,
            ErasedUserStore erased) {
        this.erased = erased;
        this.eventStore = eventStore;
        this.stateStore = stateStore;
        this.state = state;
        this.ignoredUsers = ignoredUsers;
    }

    /**
     * The events of {@code room} that {@code user} may see, in the given order. Besides history
     * visibility, this leaves out what users {@code user} ignores sent, except state, as the spec's
     * ignoring users module says and as Synapse filters every read of events.
     */
    public List<StoredEvent> filter(UserId user, RoomId room, List<StoredEvent> events) {
        if (events.isEmpty()) {
            return List.of();
        }
        Set<UserId> ignored = ignoredUsers.of(user);
        Set<UserId> erasedSenders =
                erased.erasedAmong(events.stream().map(e -> e.pdu().sender()).collect(Collectors.toSet()));
        Evaluation evaluation = new Evaluation(user, lastJoined(room, user));
        List<StoredEvent> out = new ArrayList<>(events.size());
        for (StoredEvent event : events) {
            if (event.pdu().stateKey().isEmpty() && ignored.contains(event.pdu().sender())) {
                continue;
            }
            if (!evaluation.canSee(event)) {
                continue;
            }
            if (erasedSenders.contains(event.pdu().sender()) && !evaluation.wasJoinedAt(event)) {
                // an erased user's words reach only those who were there to read them
                out.add(new StoredEvent(
                        Redaction.redact(event.pdu()),
                        event.streamOrdering(),
                        event.topologicalOrdering(),
                        event.outlier(),
                        event.rejectionReason(),
                        event.redactedBy()));
            } else {
                out.add(event);
            }
        }
        return out;
    }

    public boolean canSee(UserId user, StoredEvent event) {
        return visible(user, event).isPresent();
    }

    /** The event as {@code user} may see it (possibly redacted, see {@link #filter}), if they may. */
    public Optional<StoredEvent> visible(UserId user, StoredEvent event) {
        return filter(user, event.pdu().roomId(), List.of(event)).stream().findFirst();
    }

    /** Whether the room's current history visibility is world_readable. */
    public boolean isWorldReadable(RoomId room) {
        return state.currentEvent(room, HISTORY_VISIBILITY.type(), "")
                .map(e -> HistoryVisibility.parse(
                        e.pdu().content().path("history_visibility").asText()))
                .filter(v -> v == HistoryVisibility.WORLD_READABLE)
                .isPresent();
    }

    /**
     * The latest point at which the user was joined: {@link RoomPosition#END} while joined, the
     * position of the member event that ended their last membership otherwise, empty if they never
     * joined (as far as the walk goes).
     */
    private Optional<RoomPosition> lastJoined(RoomId room, UserId user) {
        Optional<StoredEvent> current = state.memberEvent(room, user);
        if (current.isEmpty()) {
            return Optional.empty();
        }
        StoredEvent member = current.get();
        if (RoomStateReader.membershipOf(member.pdu()).equals("join")) {
            return Optional.of(RoomPosition.END);
        }
        StateKey key = StateKey.member(user.toString());
        for (int i = 0; i < MAX_MEMBERSHIP_WALK; i++) {
            EventId previous = state.stateBefore(member).get(key);
            if (previous == null) {
                return Optional.empty();
            }
            Optional<StoredEvent> before = eventStore.get(previous);
            if (before.isEmpty()) {
                return Optional.empty();
            }
            if (RoomStateReader.membershipOf(before.get().pdu()).equals("join")) {
                return Optional.of(member.position());
            }
            member = before.get();
        }
        return Optional.empty();
    }

    /** One filtering pass: caches what it read per state group and per event. */
    private final class Evaluation {
        private final UserId user;
        private final Optional<RoomPosition> lastJoined;
        private final Map<Long, Inputs> byGroup = new HashMap<>();
        private final Map<EventId, String> contentValue = new HashMap<>();

        private record Inputs(HistoryVisibility visibility, String membership) {}

        Evaluation(UserId user, Optional<RoomPosition> lastJoined) {
            this.user = user;
            this.lastJoined = lastJoined;
        }

        /** Whether the user was joined in the state at {@code event}, which {@link #canSee} has read. */
        boolean wasJoinedAt(StoredEvent event) {
            OptionalLong group = stateStore.stateGroupAt(event.eventId());
            return group.isPresent()
                    && byGroup.computeIfAbsent(group.getAsLong(), g -> inputs(state.stateAfter(event.eventId())))
                            .membership()
                            .equals("join");
        }

        boolean canSee(StoredEvent event) {
            if (event.outlier() || event.rejectionReason().isPresent()) {
                return false;
            }
            OptionalLong group = stateStore.stateGroupAt(event.eventId());
            if (group.isEmpty()) {
                return false;
            }
            Inputs after = byGroup.computeIfAbsent(group.getAsLong(), g -> inputs(state.stateAfter(event.eventId())));
            if (allows(after, event)) {
                return true;
            }
            boolean special = event.pdu().type().equals(HISTORY_VISIBILITY.type())
                    || (event.pdu().type().equals(RoomStateReader.MEMBER)
                            && event.pdu()
                                    .stateKey()
                                    .filter(user.toString()::equals)
                                    .isPresent());
            return special && allows(inputs(state.stateBefore(event)), event);
        }

        private boolean allows(Inputs inputs, StoredEvent event) {
            return switch (inputs.visibility()) {
                case WORLD_READABLE -> true;
                case SHARED ->
                    inputs.membership().equals("join")
                            || lastJoined
                                    .filter(p -> event.position().compareTo(p) <= 0)
                                    .isPresent();
                case INVITED ->
                    inputs.membership().equals("join") || inputs.membership().equals("invite");
                case JOINED -> inputs.membership().equals("join");
            };
        }

        private Inputs inputs(Map<StateKey, EventId> stateMap) {
            EventId visibilityId = stateMap.get(HISTORY_VISIBILITY);
            EventId memberId = stateMap.get(StateKey.member(user.toString()));
            String visibility = visibilityId == null ? "shared" : value(visibilityId, "history_visibility");
            String membership = memberId == null ? "" : value(memberId, "membership");
            return new Inputs(HistoryVisibility.parse(visibility), membership);
        }

        private String value(EventId id, String field) {
            return contentValue.computeIfAbsent(
                    id,
                    i -> eventStore
                            .get(i)
                            .map(e -> e.pdu().content().path(field).asText(""))
                            .orElse(""));
        }
    }
}
