package dev.myelin.server.handler.slidingsync;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.myelin.core.event.content.Membership;
import dev.myelin.core.id.RoomId;
import dev.myelin.core.id.UserId;
import dev.myelin.core.time.Clock;
import dev.myelin.http.error.MatrixException;
import dev.myelin.server.handler.push.PushRulesHandler;
import dev.myelin.server.handler.room.ClientEvents;
import dev.myelin.server.handler.room.HistoryVisibilityFilter;
import dev.myelin.server.handler.slidingsync.ConnectionState.SentRoom;
import dev.myelin.server.handler.slidingsync.RoomListing.Candidate;
import dev.myelin.server.handler.slidingsync.SlidingSyncRequest.ListConfig;
import dev.myelin.server.handler.slidingsync.SlidingSyncRequest.Range;
import dev.myelin.server.handler.slidingsync.SlidingSyncRequest.RoomConfig;
import dev.myelin.server.handler.sync.EncryptionSync;
import dev.myelin.server.handler.sync.Notifier;
import dev.myelin.server.handler.sync.SyncPositions;
import dev.myelin.server.handler.sync.SyncToken;
import dev.myelin.server.handler.sync.UnreadNotifications;
import dev.myelin.server.handler.typing.TypingHandler;
import dev.myelin.storage.account.AccountDataStore;
import dev.myelin.storage.device.ToDeviceStore;
import dev.myelin.storage.event.EventStore;
import dev.myelin.storage.receipt.ReceiptStore;
import dev.myelin.storage.room.ForgottenRoomStore;
import dev.myelin.storage.state.StateStore;
import dev.myelin.storage.stream.StreamIds;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Answers simplified sliding sync requests (MSC4186). It works out which rooms the request's lists
 * and subscriptions match, asks {@link RoomResults} for the entries of those the connection does not
 * hold up to date, and {@link Extensions} for the rest; then keeps what it sent as the connection's
 * new state under a new {@code pos}. When a request with a {@code pos} has nothing new, it long-polls
 * like /sync: it registers with the {@link Notifier} before reading, so nothing slips between read and
 * wait, and answers when woken (after reading again) or when the timeout passes on the {@link Clock}.
 *
 * @see <a href="https://github.com/matrix-org/matrix-spec-proposals/pull/4186">MSC4186</a>
 */
public final class SlidingSyncHandler {
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private final StateStore stateStore;
    private final SyncPositions positions;
    private final Notifier notifier;
    private final Clock clock;
    private final Connections connections;
    private final RoomListing listing;
    private final RoomResults results;
    private final Extensions extensions;

    SlidingSyncHandler(
            StateStore stateStore,
            SyncPositions positions,
            Notifier notifier,
            Clock clock,
            Connections connections,
            RoomListing listing,
            RoomResults results,
            Extensions extensions) {
        this.stateStore = stateStore;
        this.positions = positions;
        this.notifier = notifier;
        this.clock = clock;
        this.connections = connections;
        this.listing = listing;
        this.results = results;
        this.extensions = extensions;
    }

    /** A handler reading from the stores and caches /sync reads from. */
    public static SlidingSyncHandler create(
            StateStore stateStore,
            EventStore eventStore,
            AccountDataStore accountData,
            ReceiptStore receipts,
            ToDeviceStore inbox,
            ForgottenRoomStore forgotten,
            StreamIds streams,
            SyncPositions positions,
            Notifier notifier,
            Clock clock,
            ClientEvents clientEvents,
            HistoryVisibilityFilter visibility,
            UnreadNotifications unread,
            PushRulesHandler pushRules,
            EncryptionSync encryption,
            TypingHandler typing) {
        RoomListing listing = new RoomListing(stateStore, eventStore, accountData, forgotten, streams);
        return new SlidingSyncHandler(
                stateStore,
                positions,
                notifier,
                clock,
                new Connections(clock),
                listing,
                new RoomResults(stateStore, eventStore, clientEvents, visibility, unread, listing),
                new Extensions(inbox, encryption, accountData, pushRules, receipts, typing));
    }

    /** The answer to {@code request}; 400 {@code M_UNKNOWN_POS} when its {@code pos} is unknown or expired. */
    public ObjectNode sync(SlidingSyncRequest request) {
        Connections.Connection connection;
        Optional<ConnectionState> previous;
        if (request.pos().isEmpty()) {
            connection = connections.start(request.user(), request.device(), request.connId());
            previous = Optional.empty();
        } else {
            var resumed = connections.resume(
                    request.user(),
                    request.device(),
                    request.connId(),
                    request.pos().get());
            connection = resumed.getKey();
            previous = Optional.of(resumed.getValue());
        }
        long deadline = clock.monotonicNanos() + request.timeout().toNanos();
        while (true) {
            List<RoomId> joined = stateStore.roomsForUser(request.user(), Membership.JOIN);
            try (Notifier.Listener listener = notifier.listen(request.user(), joined)) {
                Computed computed = compute(request, previous);
                long remaining = deadline - clock.monotonicNanos();
                if (previous.isEmpty()
                        || computed.news()
                        || remaining <= 0
                        || !listener.await(Duration.ofNanos(remaining))) {
                    return answer(connection, computed);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw MatrixException.unknown("Interrupted while waiting for events");
            }
        }
    }

    private ObjectNode answer(Connections.Connection connection, Computed computed) {
        long number = connection.reserve();
        ConnectionState state = new ConnectionState(
                number, computed.token(), computed.rooms(), computed.subscriptions(), computed.listCounts());
        ObjectNode body = NODES.objectNode();
        body.put("pos", connection.keep(state));
        body.setAll(computed.body());
        return body;
    }

    /** One computed answer, not yet kept. */
    private record Computed(
            ObjectNode body,
            SyncToken token,
            Map<RoomId, SentRoom> rooms,
            Map<RoomId, RoomConfig> subscriptions,
            Map<String, Integer> listCounts,
            boolean news) {}

    private Computed compute(SlidingSyncRequest request, Optional<ConnectionState> previous) {
        UserId user = request.user();
        SyncToken now = positions.current();
        Optional<SyncToken> since = previous.map(p -> p.token().clampTo(now));
        Map<RoomId, SentRoom> sent = previous.map(ConnectionState::rooms).orElse(Map.of());

        Map<RoomId, RoomConfig> subscriptions =
                new LinkedHashMap<>(previous.map(ConnectionState::subscriptions).orElse(Map.of()));
        request.unsubscribe().forEach(subscriptions::remove);
        subscriptions.putAll(request.subscriptions());

        List<Candidate> candidates = listing.rooms(user, now.events(), sent);
        Map<RoomId, RoomConfig> configs = new LinkedHashMap<>();
        Map<RoomId, List<String>> listsOf = new HashMap<>();
        Map<String, List<RoomId>> listRooms = new LinkedHashMap<>();
        Map<String, Integer> counts = new LinkedHashMap<>();
        ObjectNode listsJson = NODES.objectNode();
        for (Map.Entry<String, ListConfig> entry : request.lists().entrySet()) {
            ListConfig list = entry.getValue();
            Set<RoomId> children = list.filters().spaces().isPresent()
                    ? listing.spaceChildren(user, list.filters().spaces().get())
                    : Set.of();
            int index = 0;
            List<RoomId> inRange = new ArrayList<>();
            for (Candidate c : candidates) {
                if (!listing.allows(user, c, list.filters(), children)) {
                    continue;
                }
                if (inAnyRange(list.ranges(), index)) {
                    inRange.add(c.room());
                    configs.merge(c.room(), list.room(), RoomConfig::combine);
                    listsOf.computeIfAbsent(c.room(), r -> new ArrayList<>()).add(entry.getKey());
                }
                index++;
            }
            counts.put(entry.getKey(), index);
            listRooms.put(entry.getKey(), inRange);
            listsJson.putObject(entry.getKey()).put("count", index);
        }
        Map<RoomId, Candidate> byRoom = new HashMap<>();
        candidates.forEach(c -> byRoom.put(c.room(), c));
        Set<RoomId> subscribed = new LinkedHashSet<>();
        subscriptions.forEach((room, config) -> {
            // rooms the user cannot see, or that do not exist, are ignored (MSC4186)
            if (byRoom.containsKey(room)) {
                configs.merge(room, config, RoomConfig::combine);
                subscribed.add(room);
            }
        });

        RoomResults.Context ctx = new RoomResults.Context(
                new ClientEvents.Viewer(user, request.device()), now.events(), since.map(SyncToken::events));
        Map<RoomId, SentRoom> nowSent = new HashMap<>(sent);
        ObjectNode roomsJson = NODES.objectNode();
        Set<RoomId> fresh = new HashSet<>();
        for (Candidate c : candidates) {
            RoomConfig config = configs.get(c.room());
            if (config == null) {
                continue;
            }
            Optional<RoomResults.Result> result = results.build(
                    ctx, c, config, Optional.ofNullable(sent.get(c.room())), listsOf.getOrDefault(c.room(), List.of()));
            if (result.isPresent()) {
                roomsJson.set(c.room().value(), result.get().json());
                nowSent.put(c.room(), result.get().sent());
                if (result.get().json().path("initial").asBoolean(false)) {
                    fresh.add(c.room());
                }
            }
        }

        ObjectNode extJson = NODES.objectNode();
        boolean news = !roomsJson.isEmpty()
                || !counts.equals(previous.map(ConnectionState::listCounts).orElse(Map.of()));
        SlidingSyncRequest.Extensions wanted = request.extensions();
        List<Extensions.Part> parts = new ArrayList<>();
        wanted.toDevice().ifPresent(config -> {
            Extensions.Part part = extensions.toDevice(user, request.device(), config, now.toDevice());
            extJson.set("to_device", part.json());
            parts.add(part);
        });
        if (wanted.e2ee()) {
            Extensions.Part part = extensions.e2ee(user, request.device(), since, now);
            extJson.set("e2ee", part.json());
            parts.add(part);
        }
        wanted.accountData().ifPresent(scope -> {
            Set<RoomId> rooms = Extensions.inScope(scope, listRooms, subscribed);
            Extensions.Part part = extensions.accountData(user, since, now, rooms, fresh);
            extJson.set("account_data", part.json());
            parts.add(part);
        });
        wanted.receipts().ifPresent(scope -> {
            Set<RoomId> rooms = joinedOnly(Extensions.inScope(scope, listRooms, subscribed), byRoom);
            Extensions.Part part = extensions.receipts(user, since, now, rooms, fresh);
            extJson.set("receipts", part.json());
            parts.add(part);
        });
        wanted.typing().ifPresent(scope -> {
            Set<RoomId> rooms = joinedOnly(Extensions.inScope(scope, listRooms, subscribed), byRoom);
            Extensions.Part part = extensions.typing(since, rooms, fresh);
            extJson.set("typing", part.json());
            parts.add(part);
        });
        for (Extensions.Part part : parts) {
            news |= part.news();
        }
        ObjectNode body = NODES.objectNode();
        body.set("lists", listsJson);
        body.set("rooms", roomsJson);
        body.set("extensions", extJson);
        return new Computed(body, now, nowSent, subscriptions, counts, news);
    }

    /** The rooms the user is joined to: receipts and typing are for members only, not invitees or the kicked. */
    private static Set<RoomId> joinedOnly(Set<RoomId> rooms, Map<RoomId, Candidate> byRoom) {
        Set<RoomId> out = new LinkedHashSet<>();
        for (RoomId room : rooms) {
            Candidate c = byRoom.get(room);
            if (c != null && c.membership().equals("join")) {
                out.add(room);
            }
        }
        return out;
    }

    private static boolean inAnyRange(List<Range> ranges, int index) {
        for (Range r : ranges) {
            if (r.contains(index)) {
                return true;
            }
        }
        return false;
    }

    /** How many connections this process keeps; for tests and metrics. */
    public long connectionCount() {
        return connections.size();
    }
}
