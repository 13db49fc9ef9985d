package dev.myelin.server.handler.legacy;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.myelin.core.event.content.Membership;
import dev.myelin.core.id.DeviceId;
import dev.myelin.core.id.EventId;
import dev.myelin.core.id.InvalidIdentifierException;
import dev.myelin.core.id.RoomId;
import dev.myelin.core.id.UserId;
import dev.myelin.core.time.Clock;
import dev.myelin.http.error.MatrixException;
import dev.myelin.server.handler.presence.PresenceHandler;
import dev.myelin.server.handler.presence.PresenceStatus;
import dev.myelin.server.handler.room.ClientEvents;
import dev.myelin.server.handler.room.HistoryVisibilityFilter;
import dev.myelin.server.handler.sync.Notifier;
import dev.myelin.server.handler.sync.SyncPositions;
import dev.myelin.server.handler.sync.SyncToken;
import dev.myelin.server.handler.typing.TypingHandler;
import dev.myelin.storage.account.AccountDataChange;
import dev.myelin.storage.account.AccountDataStore;
import dev.myelin.storage.event.EventStore;
import dev.myelin.storage.event.StoredEvent;
import dev.myelin.storage.receipt.Receipt;
import dev.myelin.storage.receipt.ReceiptStore;
import dev.myelin.storage.state.StateStore;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The deprecated event stream, {@code GET /events}: what happened after a stream token in the
 * user's joined rooms (or in one room, which a user may also follow without joining when it is
 * world_readable), as one list: room events (and the user's own membership changes elsewhere,
 * such as invites), then presence of users sharing a room (whose presence changed, and, as
 * Synapse has it, those who joined a room with the user), typing, receipts and the user's
 * account data. Tokens are {@code /sync}'s ({@link LegacyTokens}). When nothing is new it
 * long-polls on the {@link Notifier} as {@code /sync} does: it registers before reading, so
 * nothing slips between read and wait, and gives up after the timeout on the {@link Clock}.
 *
 * <p>{@code limit} bounds the room events of one answer: the oldest ones come first and the
 * {@code end} token stops after the last one, so a client that keeps asking catches up on all
 * of them, in order.
 *
 * @see <a href="https://spec.matrix.org/v1.19/client-server-api/#get_matrixclientv3events">GET /events</a>
 * @see <a href="https://spec.matrix.org/v1.19/client-server-api/#get_matrixclientv3events-1">peeking GET /events</a>
 */
public final class EventStreamHandler {
    /** Room events per answer when the request names no limit, as Synapse has it. */
    public static final int DEFAULT_LIMIT = 10;
    /** The most room events one answer carries. */
    public static final int MAX_LIMIT = 1000;

    /**
     * One call of the event stream.
     *
     * @param from where to go on from; empty for "now"
     * @param room the one room to follow; empty for all the user's joined rooms
     * @param limit the most room events to return (at most {@link #MAX_LIMIT})
     * @param timeout how long to wait when there is nothing yet
     */
    public record Request(
            UserId user,
            Optional<DeviceId> device,
            Optional<SyncToken> from,
            Optional<RoomId> room,
            int limit,
            Duration timeout) {}

    private final EventStore events;
    private final StateStore state;
    private final HistoryVisibilityFilter visibility;
    private final AccountDataStore accountData;
    private final ReceiptStore receipts;
    private final TypingHandler typing;
    private final PresenceHandler presence;
    private final Notifier notifier;
    private final SyncPositions positions;
    private final LegacyFormat format;
    private final Clock clock;

    public EventStreamHandler(
            EventStore events,
            StateStore state,
            HistoryVisibilityFilter visibility,
            AccountDataStore accountData,
            ReceiptStore receipts,
            TypingHandler typing,
            PresenceHandler presence,
            Notifier notifier,
            SyncPositions positions,
            ClientEvents clientEvents,
            Clock clock) {
        this.events = events;
        this.state = state;
        this.visibility = visibility;
        this.accountData = accountData;
        this.receipts = receipts;
        this.typing = typing;
        this.presence = presence;
        this.notifier = notifier;
        this.positions = positions;
        this.format = new LegacyFormat(clientEvents);
        this.clock = clock;
    }

    /**
     * The events after the request's token, waiting for some up to its timeout. Following a room
     * the user is not joined to needs it to be world_readable (403 {@code M_FORBIDDEN} otherwise).
     * Like a sync, it marks the user as online.
     */
    public EventStreamPage stream(Request request) {
        UserId user = request.user();
        Optional<RoomId> explicit = request.room();
        if (explicit.isPresent() && !joinedRooms(user).contains(explicit.get())) {
            if (!visibility.isWorldReadable(explicit.get())) {
                throw MatrixException.forbidden(
                        "User " + user + " not in room " + explicit.get() + ", and room previews are disabled");
            }
        }
        presence.syncing(user, Optional.empty());
        SyncToken now = positions.current();
        SyncToken start = request.from()
                .map(t -> t.clampTo(now))
                .orElseGet(() -> LegacyTokens.end(now, now.events(), Optional.empty()));
        int limit = Math.min(request.limit(), MAX_LIMIT);
        long deadline = clock.monotonicNanos() + request.timeout().toNanos();
        ClientEvents.Viewer viewer = new ClientEvents.Viewer(user, request.device());
        SyncToken from = start;
        while (true) {
            List<RoomId> rooms = explicit.map(List::of).orElseGet(() -> joinedRooms(user));
            try (Notifier.Listener listener = notifier.listen(user, rooms)) {
                SyncToken upTo = positions.current();
                Batch batch = read(viewer, rooms, explicit, from, upTo, limit);
                if (!batch.chunk().isEmpty()) {
                    return new EventStreamPage(
                            batch.chunk(), start.encode(), batch.end().encode());
                }
                if (limit > 0 && batch.end().events() < upTo.events()) {
                    // a full batch of events this user may not see: go on past it at once
                    from = batch.end();
                    continue;
                }
                long remaining = deadline - clock.monotonicNanos();
                if (remaining <= 0 || !listener.await(Duration.ofNanos(remaining))) {
                    return new EventStreamPage(
                            batch.chunk(), start.encode(), batch.end().encode());
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw MatrixException.unknown("Interrupted while waiting for events");
            }
        }
    }

    /** What one read found, and the token just past it. */
    private record Batch(ArrayNode chunk, SyncToken end) {}

    private List<RoomId> joinedRooms(UserId user) {
        return state.roomsForUser(user, Membership.JOIN);
    }

    private Batch read(
            ClientEvents.Viewer viewer,
            List<RoomId> rooms,
            Optional<RoomId> explicit,
            SyncToken from,
            SyncToken now,
            int limit) {
        UserId user = viewer.user();
        List<StoredEvent> roomEvents = events.roomsEventsAfter(rooms, from.events(), now.events(), limit);
        long eventsEnd;
        if (limit == 0) {
            eventsEnd = from.events(); // no room events asked for: leave them for the next call
        } else if (roomEvents.size() == limit) {
            eventsEnd = roomEvents.getLast().streamOrdering();
        } else {
            eventsEnd = now.events();
        }
        List<StoredEvent> chosen = visible(user, roomEvents);
        if (explicit.isEmpty()) {
            // the user's own membership changes in rooms they are not joined to: invites, and the
            // leave, kick or ban that took a room out of their joined rooms
            Set<RoomId> followed = new HashSet<>(rooms);
            for (StoredEvent own : events.membershipEventsBetween(user.toString(), from.events(), eventsEnd)) {
                if (!followed.contains(own.pdu().roomId())) {
                    chosen.add(own);
                }
            }
            chosen.sort(Comparator.comparingLong(StoredEvent::streamOrdering));
        }
        ArrayNode chunk = JsonNodeFactory.instance.arrayNode();
        chunk.addAll(format.events(chosen, viewer));

        Set<RoomId> presenceRooms = new LinkedHashSet<>(joinedRooms(user));
        presenceRooms.addAll(rooms);
        long nowMillis = clock.nowMillis();
        Map<UserId, PresenceStatus> statuses = new LinkedHashMap<>();
        for (PresenceStatus status :
                presence.changesFor(user, List.copyOf(presenceRooms), from.presence(), now.presence())) {
            statuses.put(status.user(), status);
        }
        for (UserId joiner : joinedWith(user, chosen)) {
            statuses.computeIfAbsent(joiner, presence::current);
        }
        statuses.values().forEach(status -> chunk.add(LegacyFormat.presence(status, nowMillis)));
        for (RoomId room : rooms) {
            if (typing.changedSince(room, from.typing())) {
                chunk.add(LegacyFormat.typing(room, typing.typing(room)));
            }
        }
        List<Receipt> newReceipts = receipts.changesSince(rooms, from.receipts()).stream()
                .filter(r -> r.streamId() <= now.receipts())
                .toList();
        LegacyFormat.receipts(newReceipts, user).forEach(chunk::add);
        for (AccountDataChange change : accountData.changesSince(user, from.accountData())) {
            if (change.streamId() <= now.accountData() && LegacyFormat.served(change, false)) {
                chunk.add(LegacyFormat.accountData(change, true));
            }
        }
        return new Batch(chunk, LegacyTokens.end(now, eventsEnd, Optional.of(from)));
    }

    /**
     * Whose presence a client learns with these events, though it did not change: a member who
     * joined a room of the user's, or everyone in a room the user joined, since the client has not
     * heard of them before.
     */
    private Set<UserId> joinedWith(UserId user, List<StoredEvent> chosen) {
        Set<UserId> out = new LinkedHashSet<>();
        for (StoredEvent e : chosen) {
            if (!e.pdu().type().equals("m.room.member")
                    || !e.pdu().content().path("membership").asText("").equals("join")) {
                continue;
            }
            String target = e.pdu().stateKey().orElse("");
            if (target.equals(user.toString())) {
                out.addAll(state.joinedMembers(e.pdu().roomId()));
            } else {
                try {
                    out.add(UserId.parse(target));
                } catch (InvalidIdentifierException ignored) {
                    // a member event of a malformed user id names nobody whose presence is known
                }
            }
        }
        return out;
    }

    /** The events each user may see, by room, in the given (stream) order. */
    private List<StoredEvent> visible(UserId user, List<StoredEvent> roomEvents) {
        Map<RoomId, List<StoredEvent>> byRoom = new LinkedHashMap<>();
        roomEvents.forEach(e ->
                byRoom.computeIfAbsent(e.pdu().roomId(), r -> new ArrayList<>()).add(e));
        Set<EventId> seen = new HashSet<>();
        byRoom.forEach((room, list) -> visibility.filter(user, room, list).forEach(e -> seen.add(e.eventId())));
        List<StoredEvent> out = new ArrayList<>();
        roomEvents.stream().filter(e -> seen.contains(e.eventId())).forEach(out::add);
        return out;
    }
}
