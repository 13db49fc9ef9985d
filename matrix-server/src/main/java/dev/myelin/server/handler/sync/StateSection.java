package dev.myelin.server.handler.sync;

import dev.myelin.core.id.DeviceId;
import dev.myelin.core.id.EventId;
import dev.myelin.core.id.RoomId;
import dev.myelin.core.id.UserId;
import dev.myelin.server.handler.filter.RoomEventFilter;
import dev.myelin.storage.event.EventStore;
import dev.myelin.storage.event.StoredEvent;
import dev.myelin.storage.state.StateKey;
import dev.myelin.storage.state.StateStore;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * The {@code state} section of a room's {@code /sync} entry, given its timeline: the state at the
 * timeline's start, whole or as the change since the token, cut down for lazy-loading clients to the
 * members they need and do not hold yet ({@link SentMembers}).
 *
 * @see <a href="https://spec.matrix.org/v1.19/client-server-api/#get_matrixclientv3sync">GET /sync</a>
 */
final class StateSection {
    private static final String MEMBER = "m.room.member";

    private final StateStore stateStore;
    private final EventStore eventStore;
    private final SentMembers sentMembers;

    StateSection(StateStore stateStore, EventStore eventStore, SentMembers sentMembers) {
        this.stateStore = stateStore;
        this.eventStore = eventStore;
        this.sentMembers = sentMembers;
    }

    /**
     * The state section: everything at the start of the timeline for a full-state entry, what
     * changed between the token and the start of a limited timeline, else nothing. When the filter
     * lazy-loads members, a full-state entry keeps only the members of timeline senders and the
     * syncing user's own; any entry adds the members of timeline senders that this device does not
     * hold yet (all of them with {@code include_redundant_members}, but for the user's own). Member
     * changes in the gap of a limited timeline stay, since the client cannot learn of them otherwise.
     */
    List<StoredEvent> state(
            SyncContext ctx,
            RoomId room,
            List<StoredEvent> timeline,
            boolean limited,
            long from,
            long to,
            boolean fullState) {
        RoomEventFilter filter = ctx.filter().room().state();
        if (!filter.allowsRoom(room)) {
            return List.of();
        }
        boolean lazy = filter.lazyLoadMembers();
        if (!fullState && !limited && (timeline.isEmpty() || !lazy)) {
            return List.of(); // nothing to send, so no state to read: the common case of an idle room
        }
        Map<StateKey, EventId> atStart =
                timeline.isEmpty() ? stateAtStream(room, to) : stateBefore(timeline.getFirst());
        Map<StateKey, EventId> section = new HashMap<>();
        if (fullState) {
            section.putAll(atStart);
        } else if (limited) {
            Map<StateKey, EventId> atSince = stateAtStream(room, from);
            atStart.forEach((key, id) -> {
                if (!id.equals(atSince.get(key))) {
                    section.put(key, id);
                }
            });
        }
        if (lazy) {
            String self = ctx.user().toString();
            boolean redundant = filter.includeRedundantMembers();
            Set<String> senders = new LinkedHashSet<>();
            timeline.forEach(e -> senders.add(e.pdu().sender().toString()));
            if (fullState) {
                section.keySet()
                        .removeIf(key -> key.type().equals(MEMBER)
                                && !senders.contains(key.stateKey())
                                && !key.stateKey().equals(self));
            } else if (!redundant) {
                section.entrySet()
                        .removeIf(entry -> entry.getKey().type().equals(MEMBER)
                                && sentMembers.has(
                                        ctx.user(),
                                        ctx.viewer().device(),
                                        room,
                                        entry.getKey().stateKey(),
                                        entry.getValue()));
            }
            Set<EventId> inTimeline = new HashSet<>();
            timeline.forEach(e -> inTimeline.add(e.eventId()));
            for (String sender : senders) {
                EventId id = atStart.get(StateKey.member(sender));
                // members whose event the timeline itself carries need not be repeated
                if (id == null || inTimeline.contains(id)) {
                    continue;
                }
                if (fullState
                        || (redundant && !sender.equals(self))
                        || !sentMembers.has(ctx.user(), ctx.viewer().device(), room, sender, id)) {
                    section.put(StateKey.member(sender), id);
                }
            }
        }
        List<StoredEvent> events =
                new ArrayList<>(eventStore.getAll(section.values()).values());
        events.removeIf(e -> !RoomSyncBuilder.allows(filter, e));
        events.sort(Comparator.comparingLong(StoredEvent::streamOrdering));
        if (lazy) {
            rememberMembers(ctx, room, events);
            rememberMembers(ctx, room, timeline);
        }
        return events;
    }

    /** Records the member events among {@code events} as held by the syncing device. */
    private void rememberMembers(SyncContext ctx, RoomId room, List<StoredEvent> events) {
        for (StoredEvent e : events) {
            if (e.pdu().type().equals(MEMBER) && e.pdu().stateKey().isPresent()) {
                sentMembers.record(
                        ctx.user(),
                        ctx.viewer().device(),
                        room,
                        e.pdu().stateKey().get(),
                        e.eventId());
            }
        }
    }

    /** Forgets the members a device was sent: its client starts afresh with an initial sync. */
    void startingAfresh(UserId user, Optional<DeviceId> device) {
        sentMembers.forget(user, device);
    }

    /** The state just before {@code event}: the state after it, without its own contribution. */
    private Map<StateKey, EventId> stateBefore(StoredEvent event) {
        Map<StateKey, EventId> after = stateStore.stateAt(event.eventId()).orElse(Map.of());
        if (event.pdu().stateKey().isEmpty()) {
            return after;
        }
        StateKey key = StateKey.of(event.pdu().type(), event.pdu().stateKey().get());
        Map<StateKey, EventId> before = new HashMap<>(after);
        before.remove(key);
        for (EventId prev : event.pdu().prevEventIds()) {
            Optional<EventId> replaced =
                    stateStore.stateAt(prev).map(s -> s.get(key)).filter(Objects::nonNull);
            if (replaced.isPresent()) {
                before.put(key, replaced.get());
                break;
            }
        }
        return before;
    }

    /** The room's state after its last event at or before stream position {@code stream}. */
    private Map<StateKey, EventId> stateAtStream(RoomId room, long stream) {
        return lastEventAtOrBefore(room, stream)
                .flatMap(e -> stateStore.stateAt(e.eventId()))
                .orElse(Map.of());
    }

    private Optional<StoredEvent> lastEventAtOrBefore(RoomId room, long stream) {
        List<StoredEvent> last = eventStore.roomEventsByStream(room, Long.MIN_VALUE, stream, 1);
        return last.isEmpty() ? Optional.empty() : Optional.of(last.getFirst());
    }
}
