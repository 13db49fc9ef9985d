package dev.myelin.server.handler.slidingsync;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.myelin.core.cache.StreamChangeCache;
import dev.myelin.core.event.content.Membership;
import dev.myelin.core.id.EventId;
import dev.myelin.core.id.RoomId;
import dev.myelin.core.id.UserId;
import dev.myelin.server.handler.slidingsync.ConnectionState.SentRoom;
import dev.myelin.server.handler.slidingsync.SlidingSyncRequest.ListFilters;
import dev.myelin.storage.account.AccountDataStore;
import dev.myelin.storage.event.EventStore;
import dev.myelin.storage.event.StoredEvent;
import dev.myelin.storage.room.ForgottenRoomStore;
import dev.myelin.storage.state.StateKey;
import dev.myelin.storage.state.StateStore;
import dev.myelin.storage.stream.ChangedEntities;
import dev.myelin.storage.stream.StreamIds;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The rooms sliding sync lists are windows into: the user's joined, invited and knocked rooms, the
 * rooms they were kicked or banned from, and rooms they left since the connection last sent them
 * (sent once more, so the client learns of it), most recently active first. Activity is the stream
 * position of a joined room's last event (read from the events stream's change cache, else once from
 * the database and kept), and of the user's membership for the others. Every lookup goes through the
 * stores' caches: a request reads the database only for what changed.
 */
final class RoomListing {
    /** One room of the user's list. */
    record Candidate(RoomId room, String membership, long activity, Optional<StoredEvent> membershipEvent) {}

    private record Activity(long position) {}

    private record DirectRooms(long position, Set<String> rooms) {}

    private final StateStore stateStore;
    private final EventStore eventStore;
    private final AccountDataStore accountData;
    private final ForgottenRoomStore forgotten;
    private final StreamChangeCache<String> roomEvents;
    /** Last event position of rooms the change cache no longer knows about. */
    private final Cache<RoomId, Activity> oldActivity =
            Caffeine.newBuilder().maximumSize(100_000).executor(Runnable::run).build();
    /** Each user's DM rooms from {@code m.direct}, as of an account data position. */
    private final Cache<UserId, DirectRooms> directRooms =
            Caffeine.newBuilder().maximumSize(50_000).executor(Runnable::run).build();

    RoomListing(
            StateStore stateStore,
            EventStore eventStore,
            AccountDataStore accountData,
            ForgottenRoomStore forgotten,
            StreamIds streams) {
        this.stateStore = stateStore;
        this.eventStore = eventStore;
        this.accountData = accountData;
        this.forgotten = forgotten;
        this.roomEvents = streams.changes(ChangedEntities.ROOM_EVENTS);
    }

    /** The user's rooms, most recently active first, as of events position {@code now}. */
    List<Candidate> rooms(UserId user, long now, Map<RoomId, SentRoom> sent) {
        List<Candidate> out = new ArrayList<>();
        for (RoomId room : stateStore.roomsForUser(user, Membership.JOIN)) {
            out.add(new Candidate(room, "join", lastActivity(room, now), Optional.empty()));
        }
        for (Membership m : List.of(Membership.INVITE, Membership.KNOCK)) {
            for (RoomId room : stateStore.roomsForUser(user, m)) {
                ownMembership(room, user)
                        .ifPresent(e -> out.add(new Candidate(room, m.value(), e.streamOrdering(), Optional.of(e))));
            }
        }
        Set<RoomId> forgot = null;
        for (Membership m : List.of(Membership.LEAVE, Membership.BAN)) {
            for (RoomId room : stateStore.roomsForUser(user, m)) {
                Optional<StoredEvent> event = ownMembership(room, user);
                if (event.isEmpty()) {
                    continue;
                }
                boolean byOther = !event.get().pdu().sender().equals(user);
                SentRoom before = sent.get(room);
                boolean news = before != null
                        && !before.membership().equals("leave")
                        && !before.membership().equals("ban");
                if (!byOther && !news) {
                    continue; // the user left themselves: their client knows
                }
                if (forgot == null) {
                    forgot = new HashSet<>(forgotten.forgotten(user));
                }
                if (!forgot.contains(room)) {
                    out.add(new Candidate(room, m.value(), event.get().streamOrdering(), event));
                }
            }
        }
        out.sort(Comparator.comparingLong(Candidate::activity)
                .reversed()
                .thenComparing(c -> c.room().value()));
        return out;
    }

    /** Whether {@code candidate} passes {@code filters}. */
    boolean allows(UserId user, Candidate candidate, ListFilters filters, Set<RoomId> spaceChildren) {
        RoomId room = candidate.room();
        if (filters.isInvite().isPresent()
                && filters.isInvite().get() != candidate.membership().equals("invite")) {
            return false;
        }
        if (filters.isDm().isPresent() && filters.isDm().get() != isDm(user, candidate)) {
            return false;
        }
        if (filters.isEncrypted().isPresent()
                && filters.isEncrypted().get()
                        != stateStore
                                .currentStateEvent(room, StateKey.of("m.room.encryption", ""))
                                .isPresent()) {
            return false;
        }
        if (filters.spaces().isPresent() && !spaceChildren.contains(room)) {
            return false;
        }
        if (filters.roomTypes().isPresent() || filters.notRoomTypes().isPresent()) {
            String type = roomType(room);
            if (filters.notRoomTypes().isPresent()
                    && filters.notRoomTypes().get().contains(type)) {
                return false;
            }
            return filters.roomTypes().isEmpty() || filters.roomTypes().get().contains(type);
        }
        return true;
    }

    /**
     * The rooms that the {@code m.space.child} events of {@code spaces} name, of the spaces the user
     * is joined to; subspaces are not followed, as MSC4186 says.
     */
    Set<RoomId> spaceChildren(UserId user, List<RoomId> spaces) {
        Set<RoomId> children = new HashSet<>();
        List<RoomId> joined = stateStore.roomsForUser(user, Membership.JOIN);
        for (RoomId space : spaces) {
            if (!joined.contains(space)) {
                continue;
            }
            Map<StateKey, EventId> state = stateStore.currentState(space);
            List<EventId> ids = state.entrySet().stream()
                    .filter(e -> e.getKey().type().equals("m.space.child"))
                    .map(Map.Entry::getValue)
                    .toList();
            for (StoredEvent e : eventStore.getAll(ids).values()) {
                JsonNode via = e.pdu().content().path("via");
                String child = e.pdu().stateKey().orElse("");
                if (via.isArray() && !via.isEmpty() && RoomId.isValid(child)) {
                    children.add(RoomId.parse(child));
                }
            }
        }
        return children;
    }

    /**
     * Whether the room is a DM: listed in the user's {@code m.direct} account data, or for an invite, the
     * invite says {@code is_direct}.
     */
    boolean isDm(UserId user, Candidate candidate) {
        if (candidate.membership().equals("invite")
                && candidate.membershipEvent().isPresent()
                && candidate
                        .membershipEvent()
                        .get()
                        .pdu()
                        .content()
                        .path("is_direct")
                        .asBoolean(false)) {
            return true;
        }
        return directRooms(user).contains(candidate.room().value());
    }

    /** The room's type from its create event; {@code ""} for a room without one. */
    String roomType(RoomId room) {
        return stateStore
                .currentStateEvent(room, StateKey.of("m.room.create", ""))
                .flatMap(eventStore::get)
                .map(e -> e.pdu().content().path("type"))
                .filter(JsonNode::isTextual)
                .map(JsonNode::asText)
                .orElse("");
    }

    private Set<String> directRooms(UserId user) {
        DirectRooms known = directRooms.getIfPresent(user);
        if (known != null && !accountData.mayHaveChanged(user, known.position())) {
            return known.rooms();
        }
        long position = accountData.currentPosition();
        Set<String> rooms = new HashSet<>();
        accountData
                .getGlobal(user, "m.direct")
                .ifPresent(content -> content.fields().forEachRemaining(e -> {
                    if (e.getValue().isArray()) {
                        e.getValue().forEach(r -> {
                            if (r.isTextual()) {
                                rooms.add(r.asText());
                            }
                        });
                    }
                }));
        directRooms.put(user, new DirectRooms(position, Set.copyOf(rooms)));
        return rooms;
    }

    /** The stream position of the room's last event (at most {@code now}, 0 for none). */
    long lastActivity(RoomId room, long now) {
        Optional<Long> changed = roomEvents.lastChange(room.value());
        if (changed.isPresent() && changed.get() <= now) {
            return changed.get();
        }
        Activity kept = oldActivity.getIfPresent(room);
        if (kept != null && changed.isEmpty()) {
            return kept.position();
        }
        List<StoredEvent> last = eventStore.roomEventsByStream(room, Long.MIN_VALUE, now, 1);
        long position = last.isEmpty() ? 0 : last.getFirst().streamOrdering();
        if (changed.isEmpty()) {
            oldActivity.put(room, new Activity(position));
        }
        return position;
    }

    Optional<StoredEvent> ownMembership(RoomId room, UserId user) {
        return stateStore
                .currentStateEvent(room, StateKey.member(user.toString()))
                .flatMap(eventStore::get);
    }

    /** The content of the room's current {@code type} state event with an empty state key. */
    Optional<ObjectNode> stateContent(RoomId room, String type) {
        return stateStore
                .currentStateEvent(room, StateKey.of(type, ""))
                .flatMap(eventStore::get)
                .map(e -> e.pdu().content());
    }
}
