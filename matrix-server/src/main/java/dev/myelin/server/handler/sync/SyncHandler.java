package dev.myelin.server.handler.sync;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.myelin.core.event.content.Membership;
import dev.myelin.core.id.RoomId;
import dev.myelin.core.id.UserId;
import dev.myelin.core.time.Clock;
import dev.myelin.http.error.MatrixException;
import dev.myelin.server.handler.accountdata.IgnoredUsers;
import dev.myelin.server.handler.presence.PresenceHandler;
import dev.myelin.server.handler.presence.PresenceState;
import dev.myelin.server.handler.presence.PresenceStatus;
import dev.myelin.server.handler.push.PushRulesHandler;
import dev.myelin.server.handler.room.ClientEvents;
import dev.myelin.storage.account.AccountDataChange;
import dev.myelin.storage.account.AccountDataStore;
import dev.myelin.storage.device.ToDeviceStore;
import dev.myelin.storage.event.EventStore;
import dev.myelin.storage.event.StoredEvent;
import dev.myelin.storage.receipt.Receipt;
import dev.myelin.storage.receipt.ReceiptStore;
import dev.myelin.storage.room.ForgottenRoomStore;
import dev.myelin.storage.state.StateKey;
import dev.myelin.storage.state.StateStore;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * Computes {@code /sync} responses. An initial sync (no token) reports every room by the user's
 * current membership; an incremental one reports what happened after the token: rooms newly
 * joined (as an initial sync would, with the presence of their members), joined rooms with new
 * events, ephemeral events or account data, and invites, knocks and leaves. When nothing is new it long-polls: it registers with the
 * {@link Notifier} <em>before</em> reading, so nothing slips between read and wait, and gives up
 * after the request's timeout on the injected {@link Clock}.
 *
 * @see <a href="https://spec.matrix.org/v1.19/client-server-api/#get_matrixclientv3sync">GET /sync</a>
 */
public final class SyncHandler {
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private final EventStore eventStore;
    private final StateStore stateStore;
    private final AccountDataStore accountData;
    private final ReceiptStore receiptStore;
    private final Clock clock;
    private final Notifier notifier;
    private final SyncPositions positions;
    private final RoomSyncBuilder rooms;
    private final PushRulesHandler pushRules;
    /**
     * Identical requests in flight share one computation, if nothing was written since it began
     * (the streams' positions at arrival are part of the key: a request that comes after a write,
     * e.g. a push rule change, must not be handed an answer computed before it). The computing
     * caller removes its entry before completing it, so a finished result is never handed to a later
     * request: a cache with a zero expiry did that whenever its eviction callback ran after the
     * response had been sent.
     */
    private final Map<Shared, CompletableFuture<ObjectNode>> inFlight = new ConcurrentHashMap<>();

    /** A request and the positions when it arrived. */
    private record Shared(SyncRequest request, SyncToken arrivedAt) {}

    private final ToDeviceSync toDevice;
    private final EncryptionSync encryption;
    private final PresenceHandler presence;

    private final IgnoredUsers ignoredUsers;
    private final ForgottenRoomStore forgottenRooms;
    private final RemoteInviteSync remoteInvites;
    private final RemoteKnockSync remoteKnocks;

    public SyncHandler(
            EventStore eventStore,
            StateStore stateStore,
            AccountDataStore accountData,
            ReceiptStore receiptStore,
            ToDeviceStore inbox,
            Clock clock,
            Notifier notifier,
            SyncPositions positions,
            RoomSyncBuilder rooms,
            PushRulesHandler pushRules,
            EncryptionSync encryption,
            PresenceHandler presence,
            RemoteInviteSync remoteInvites,
            RemoteKnockSync remoteKnocks,
            ForgottenRoomStore forgottenRooms) {
        this.remoteInvites = remoteInvites;
        this.forgottenRooms = forgottenRooms;
        this.remoteKnocks = remoteKnocks;
        this.presence = presence;
        this.eventStore = eventStore;
        this.stateStore = stateStore;
        this.accountData = accountData;
        this.receiptStore = receiptStore;
        this.clock = clock;
        this.notifier = notifier;
        this.positions = positions;
        this.pushRules = pushRules;
        this.rooms = rooms;
        this.toDevice = new ToDeviceSync(inbox);
        this.ignoredUsers = new IgnoredUsers(accountData);
        this.encryption = encryption;
    }

    /** The position of every stream now: the {@code next_batch} of a sync that ran now. */
    public SyncToken currentToken() {
        return positions.current();
    }

    /** Records that {@code user} is syncing, with the sync's {@code set_presence} (empty: online). */
    public void markActive(UserId user, Optional<PresenceState> setPresence) {
        presence.syncing(user, setPresence);
    }

    public ObjectNode sync(SyncRequest request) {
        CompletableFuture<ObjectNode> mine = new CompletableFuture<>();
        Shared key = new Shared(request, positions.current());
        CompletableFuture<ObjectNode> shared = inFlight.putIfAbsent(key, mine);
        if (shared == null) {
            try {
                ObjectNode result = waitForSync(request);
                inFlight.remove(key, mine);
                mine.complete(result);
                // the answer is only read from here on; each sharer gets a copy of its own
                return result;
            } catch (RuntimeException | Error e) {
                inFlight.remove(key, mine);
                mine.completeExceptionally(e);
                throw e;
            }
        }
        try {
            return shared.join().deepCopy();
        } catch (CompletionException e) {
            if (e.getCause() instanceof RuntimeException cause) {
                throw cause;
            }
            throw e;
        }
    }

    private ObjectNode waitForSync(SyncRequest request) {
        long deadline = clock.monotonicNanos() + request.timeout().toNanos();
        while (true) {
            List<RoomId> joined = stateStore.roomsForUser(request.user(), Membership.JOIN);
            try (Notifier.Listener listener = notifier.listen(request.user(), joined)) {
                Result result = compute(request, joined);
                if (request.since().isEmpty() || request.fullState() || result.hasContent()) {
                    return result.json();
                }
                long remaining = deadline - clock.monotonicNanos();
                if (remaining <= 0 || !listener.await(Duration.ofNanos(remaining))) {
                    return result.json();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw MatrixException.unknown("Interrupted while waiting for events");
            }
        }
    }

    private record Result(ObjectNode json, boolean hasContent) {}

    /** The answer to {@code request} now, for a user joined to {@code joined} (read before listening). */
    private Result compute(SyncRequest request, List<RoomId> joined) {
        UserId user = request.user();
        SyncToken now = currentToken();
        Optional<SyncToken> since = request.since().map(t -> t.clampTo(now));

        Map<RoomId, List<AccountDataChange>> roomAccountData = new LinkedHashMap<>();
        ArrayNode globalAccountData = NODES.arrayNode();
        for (AccountDataChange change :
                accountData.changesSince(user, since.map(SyncToken::accountData).orElse(0L))) {
            if (change.streamId() > now.accountData()) {
                continue;
            }
            if (change.room().isPresent()) {
                roomAccountData
                        .computeIfAbsent(change.room().get(), r -> new ArrayList<>())
                        .add(change);
            } else if (request.filter().accountData().allowsType(change.type())) {
                globalAccountData.addObject().put("type", change.type()).set("content", globalContent(user, change));
            }
        }
        boolean pushRulesSent = false;
        for (var event : globalAccountData) {
            pushRulesSent |= event.path("type").asText().equals(PushRulesHandler.ACCOUNT_DATA_TYPE);
        }
        if (since.isEmpty()
                && !pushRulesSent
                && request.filter().accountData().allowsType(PushRulesHandler.ACCOUNT_DATA_TYPE)) {
            // the store holds m.push_rules only once the user changed a rule; clients need the defaults
            globalAccountData
                    .addObject()
                    .put("type", PushRulesHandler.ACCOUNT_DATA_TYPE)
                    .set("content", pushRules.accountDataContent(user));
        }
        List<RoomId> joinedRooms =
                joined.stream().filter(request.filter().room()::allowsRoom).toList();
        Map<RoomId, List<Receipt>> receipts = new LinkedHashMap<>();
        for (Receipt receipt : receiptStore.changesSince(
                joinedRooms, since.map(SyncToken::receipts).orElse(0L))) {
            if (receipt.streamId() <= now.receipts()) {
                receipts.computeIfAbsent(receipt.room(), r -> new ArrayList<>()).add(receipt);
            }
        }
        SyncContext ctx = new SyncContext(
                user,
                new ClientEvents.Viewer(user, request.device()),
                request.filter(),
                now,
                since,
                roomAccountData,
                receipts);

        ObjectNode join = NODES.objectNode();
        ObjectNode invite = NODES.objectNode();
        ObjectNode leave = NODES.objectNode();
        ObjectNode knock = NODES.objectNode();
        Set<UserId> newlyShared = new HashSet<>();
        // read only when an invite is there to be checked against it
        Supplier<Set<UserId>> ignored = once(() -> ignoredUsers.of(user));
        if (since.isEmpty()) {
            rooms.startingAfresh(user, request.device());
            for (RoomId room : joinedRooms) {
                rooms.joined(ctx, room, 0, now.events(), true, false)
                        .ifPresent(entry -> join.set(room.value(), entry.json()));
            }
            for (RoomId room : roomsWith(user, Membership.INVITE, request)) {
                ownMembership(room, user)
                        .filter(e -> !ignored.get().contains(e.pdu().sender()))
                        .ifPresent(e -> invite.set(room.value(), rooms.invited(ctx, room, e)));
            }
            for (RoomId room : roomsWith(user, Membership.KNOCK, request)) {
                ownMembership(room, user).ifPresent(e -> knock.set(room.value(), rooms.knocked(ctx, room, e)));
            }
            if (request.filter().room().includeLeave()) {
                List<RoomId> gone = new ArrayList<>(roomsWith(user, Membership.LEAVE, request));
                gone.addAll(roomsWith(user, Membership.BAN, request));
                // a room the user forgot is gone from their view, as on Synapse
                gone.removeAll(new HashSet<>(forgottenRooms.forgotten(user)));
                for (RoomId room : gone) {
                    ownMembership(room, user)
                            .ifPresent(e -> leave.set(
                                    room.value(),
                                    rooms.left(ctx, room, 0, e.streamOrdering(), true, true, List.of(e))));
                }
            }
        } else {
            long from = since.get().events();
            Map<RoomId, List<StoredEvent>> changes = new LinkedHashMap<>();
            for (StoredEvent e : eventStore.membershipEventsBetween(user.toString(), from, now.events())) {
                if (request.filter().room().allowsRoom(e.pdu().roomId())) {
                    changes.computeIfAbsent(e.pdu().roomId(), r -> new ArrayList<>())
                            .add(e);
                }
            }
            for (RoomId room : joinedRooms) {
                List<StoredEvent> own = changes.get(room);
                boolean newlyJoined = own != null && !joinedAt(room, user, from);
                boolean full = newlyJoined || request.fullState();
                rooms.joined(ctx, room, newlyJoined ? 0 : from, now.events(), full, newlyJoined)
                        .ifPresent(entry -> {
                            join.set(room.value(), entry.json());
                            newlyShared.addAll(entry.joins());
                        });
                if (newlyJoined) {
                    newlyShared.addAll(stateStore.joinedMembers(room));
                }
            }
            Set<RoomId> invited =
                    changes.isEmpty() ? Set.of() : new HashSet<>(stateStore.roomsForUser(user, Membership.INVITE));
            Set<RoomId> knocked =
                    changes.isEmpty() ? Set.of() : new HashSet<>(stateStore.roomsForUser(user, Membership.KNOCK));
            changes.forEach((room, own) -> {
                StoredEvent last = own.getLast();
                String membership = last.pdu().content().path("membership").asText("");
                if (membership.equals("invite") && invited.contains(room)) {
                    // the spec: invites from ignored users are not sent to the client
                    if (!ignored.get().contains(last.pdu().sender())) {
                        invite.set(room.value(), rooms.invited(ctx, room, last));
                    }
                } else if (membership.equals("knock") && knocked.contains(room)) {
                    knock.set(room.value(), rooms.knocked(ctx, room, last));
                } else if ((membership.equals("leave") || membership.equals("ban"))
                        && !joinedRooms.contains(room)
                        && !forgottenRooms.isForgotten(user, room)) {
                    boolean sawRoom = joinedAt(room, user, from)
                            || own.stream()
                                    .anyMatch(e -> e.pdu()
                                            .content()
                                            .path("membership")
                                            .asText("")
                                            .equals("join"));
                    boolean full = request.fullState() || !joinedAt(room, user, from);
                    leave.set(room.value(), rooms.left(ctx, room, from, last.streamOrdering(), full, sawRoom, own));
                }
            });
        }

        remoteInvites.addTo(ctx, invite, leave, ignored);
        remoteKnocks.addTo(ctx, knock, invite, leave);
        newlyShared.remove(user);
        ArrayNode presenceEvents = presenceEvents(request, joined, since, now, newlyShared);
        ToDeviceSync.Batch toDeviceBatch = toDevice.read(user, request.device(), since, now.toDevice());
        ObjectNode body = NODES.objectNode();
        body.putObject("account_data").set("events", globalAccountData);
        boolean deviceListsChanged = addEncryption(body, request, since, now);
        body.put("next_batch", toDeviceBatch.applyTo(now).encode());
        body.putObject("presence").set("events", presenceEvents);
        ObjectNode roomsJson = body.putObject("rooms");
        roomsJson.set("invite", invite);
        roomsJson.set("join", join);
        roomsJson.set("knock", knock);
        roomsJson.set("leave", leave);
        body.putObject("to_device").set("events", toDeviceBatch.events());
        boolean hasContent = !join.isEmpty()
                || !invite.isEmpty()
                || !leave.isEmpty()
                || !knock.isEmpty()
                || !globalAccountData.isEmpty()
                || !toDeviceBatch.isEmpty()
                || deviceListsChanged
                || !presenceEvents.isEmpty();
        return new Result(body, hasContent);
    }

    /**
     * Adds {@code device_lists} (empty in an initial sync), and the syncing device's one-time key counts and
     * unused fallback key types; returns whether any device list changed.
     */
    private boolean addEncryption(ObjectNode body, SyncRequest request, Optional<SyncToken> since, SyncToken now) {
        ObjectNode deviceLists = since.map(s -> encryption.deviceLists(request.user(), s, now))
                .orElseGet(() -> NODES.objectNode()
                        .<ObjectNode>set("changed", NODES.arrayNode())
                        .set("left", NODES.arrayNode()));
        body.set("device_lists", deviceLists);
        body.set(
                "device_one_time_keys_count",
                request.device()
                        .map(d -> encryption.oneTimeKeyCounts(request.user(), d))
                        .orElseGet(NODES::objectNode));
        body.set(
                "device_unused_fallback_key_types",
                request.device()
                        .map(d -> encryption.unusedFallbackKeyTypes(request.user(), d))
                        .orElseGet(NODES::arrayNode));
        return !deviceLists.path("changed").isEmpty()
                || !deviceLists.path("left").isEmpty();
    }

    /**
     * The {@code m.presence} events of users sharing a room with the syncing user (and their own)
     * whose presence changed since the token, and the current presence of {@code newlyShared}, users
     * the syncing user has come to share a room with since it (whose presence they could not know),
     * through the filter's {@code presence} part.
     */
    private ArrayNode presenceEvents(
            SyncRequest request,
            List<RoomId> rooms,
            Optional<SyncToken> since,
            SyncToken now,
            Set<UserId> newlyShared) {
        ArrayNode events = NODES.arrayNode();
        long nowMillis = clock.nowMillis();
        int limit = request.filter().presence().limitOr(Integer.MAX_VALUE);
        List<PresenceStatus> statuses = new ArrayList<>(presence.changesFor(
                request.user(), rooms, since.map(SyncToken::presence).orElse(0L), now.presence()));
        Set<UserId> changed = new HashSet<>();
        statuses.forEach(status -> changed.add(status.user()));
        // presence is kept for local users only (they share the syncing user's server)
        List<UserId> unheard = newlyShared.stream()
                .filter(u -> u.server().equals(request.user().server()) && !changed.contains(u))
                .sorted()
                .toList();
        unheard.forEach(u -> statuses.add(presence.current(u)));
        for (PresenceStatus status : statuses) {
            if (events.size() >= limit) {
                break;
            }
            if (request.filter().presence().allows("m.presence", status.user().toString())) {
                events.addObject()
                        .put("type", "m.presence")
                        .put("sender", status.user().toString())
                        .set("content", status.content(nowMillis));
            }
        }
        return events;
    }

    /**
     * The content served for a global account data change: {@code m.push_rules} is always the
     * effective ruleset (the stored copy merged with this server's defaults), as {@code GET /pushrules/}
     * serves it.
     */
    private ObjectNode globalContent(UserId user, AccountDataChange change) {
        return change.type().equals(PushRulesHandler.ACCOUNT_DATA_TYPE)
                ? pushRules.accountDataContent(user)
                : change.content().deepCopy();
    }

    /** {@code supplier}'s value, asked for once on first use. */
    private static <T> Supplier<T> once(Supplier<T> supplier) {
        return new Supplier<>() {
            private T value;

            @Override
            public T get() {
                if (value == null) {
                    value = supplier.get();
                }
                return value;
            }
        };
    }

    private List<RoomId> roomsWith(UserId user, Membership membership, SyncRequest request) {
        return stateStore.roomsForUser(user, membership).stream()
                .filter(request.filter().room()::allowsRoom)
                .toList();
    }

    private Optional<StoredEvent> ownMembership(RoomId room, UserId user) {
        return stateStore
                .currentStateEvent(room, StateKey.member(user.toString()))
                .flatMap(id -> eventStore.get(id));
    }

    /** Whether {@code user} was joined to {@code room} at events stream position {@code stream}. */
    private boolean joinedAt(RoomId room, UserId user, long stream) {
        List<StoredEvent> last = eventStore.roomEventsByStream(room, Long.MIN_VALUE, stream, 1);
        if (last.isEmpty()) {
            return false;
        }
        return stateStore
                .stateAt(last.getFirst().eventId())
                .map(state -> state.get(StateKey.member(user.toString())))
                .flatMap(id -> eventStore.get(id))
                .map(e -> e.pdu().content().path("membership").asText("").equals("join"))
                .orElse(false);
    }
}
