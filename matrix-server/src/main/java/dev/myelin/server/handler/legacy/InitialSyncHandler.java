package dev.myelin.server.handler.legacy;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.myelin.core.event.content.Membership;
import dev.myelin.core.id.InvalidIdentifierException;
import dev.myelin.core.id.RoomId;
import dev.myelin.core.id.UserId;
import dev.myelin.core.time.Clock;
import dev.myelin.server.handler.filter.RoomEventFilter;
import dev.myelin.server.handler.presence.PresenceHandler;
import dev.myelin.server.handler.presence.PresenceState;
import dev.myelin.server.handler.presence.PresenceStatus;
import dev.myelin.server.handler.room.ClientEvents;
import dev.myelin.server.handler.room.RoomReadHandler;
import dev.myelin.server.handler.room.RoomStateReader;
import dev.myelin.server.handler.room.RoomTimelineHandler;
import dev.myelin.server.handler.room.RoomTokens;
import dev.myelin.server.handler.sync.SyncPositions;
import dev.myelin.server.handler.sync.SyncToken;
import dev.myelin.storage.account.AccountDataChange;
import dev.myelin.storage.account.AccountDataStore;
import dev.myelin.storage.event.Direction;
import dev.myelin.storage.event.RoomPosition;
import dev.myelin.storage.event.StoredEvent;
import dev.myelin.storage.receipt.Receipt;
import dev.myelin.storage.receipt.ReceiptStore;
import dev.myelin.storage.room.ForgottenRoomStore;
import dev.myelin.storage.room.Room;
import dev.myelin.storage.room.RoomStore;
import dev.myelin.storage.state.StateKey;
import dev.myelin.storage.state.StateStore;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The deprecated snapshots {@code GET /initialSync} (every room of the user) and
 * {@code GET /rooms/{roomId}/initialSync} (one room, which is also how a user previews a
 * world_readable room without joining). A room the user is in shows its current state and latest
 * messages; a room they left (or were banned from) shows both as they were at that moment, and
 * nothing later. Messages go through history visibility, as every read of events does.
 *
 * @see <a href="https://spec.matrix.org/v1.19/client-server-api/#get_matrixclientv3initialsync">GET /initialSync</a>
 * @see <a href="https://spec.matrix.org/v1.19/client-server-api/#get_matrixclientv3roomsroomidinitialsync">GET /rooms/{roomId}/initialSync</a>
 */
public final class InitialSyncHandler {
    /** Messages per room when the request names no limit, as Synapse has it. */
    public static final int DEFAULT_LIMIT = 10;

    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    private static final String MEMBER = "m.room.member";

    private final StateStore stateStore;
    private final RoomStore roomStore;
    private final ForgottenRoomStore forgotten;
    private final RoomStateReader roomState;
    private final RoomReadHandler reads;
    private final RoomTimelineHandler timeline;
    private final AccountDataStore accountData;
    private final ReceiptStore receipts;
    private final PresenceHandler presence;
    private final SyncPositions positions;
    private final LegacyFormat format;
    private final Clock clock;

    public InitialSyncHandler(
            StateStore stateStore,
            RoomStore roomStore,
            ForgottenRoomStore forgotten,
            RoomStateReader roomState,
            RoomReadHandler reads,
            RoomTimelineHandler timeline,
            AccountDataStore accountData,
            ReceiptStore receipts,
            PresenceHandler presence,
            SyncPositions positions,
            ClientEvents clientEvents,
            Clock clock) {
        this.stateStore = stateStore;
        this.roomStore = roomStore;
        this.forgotten = forgotten;
        this.roomState = roomState;
        this.reads = reads;
        this.timeline = timeline;
        this.accountData = accountData;
        this.receipts = receipts;
        this.presence = presence;
        this.positions = positions;
        this.format = new LegacyFormat(clientEvents);
        this.clock = clock;
    }

    /**
     * Every room the user is joined to or invited to, and with {@code archived} those they left
     * or were banned from (and did not forget), each with up to {@code limit} messages. Marks the
     * user online, as the start of their event stream.
     */
    public InitialSnapshot snapshot(ClientEvents.Viewer viewer, int limit, boolean archived) {
        UserId user = viewer.user();
        // the start of the legacy event stream marks the user online, as a /sync or /events does
        presence.syncing(user, Optional.empty());
        SyncToken now = positions.current();
        SyncToken end = LegacyTokens.end(now, now.events(), Optional.empty());
        AccountData data = accountData(user, now);

        List<RoomSnapshot> rooms = new ArrayList<>();
        List<RoomId> joined = stateStore.roomsForUser(user, Membership.JOIN);
        for (RoomId room : joined) {
            rooms.add(current(viewer, room, "join", limit, end, data.forRoom(room), false));
        }
        for (RoomId room : stateStore.roomsForUser(user, Membership.INVITE)) {
            roomState
                    .memberEvent(room, user)
                    .ifPresent(invite -> rooms.add(new RoomSnapshot(
                            room.value(),
                            "invite",
                            visibility(room),
                            invite.pdu().sender().toString(),
                            format.event(invite, viewer),
                            null,
                            null,
                            null,
                            null,
                            null)));
        }
        if (archived) {
            List<RoomId> gone = new ArrayList<>(stateStore.roomsForUser(user, Membership.LEAVE));
            gone.addAll(stateStore.roomsForUser(user, Membership.BAN));
            for (RoomId room : gone) {
                if (forgotten.isForgotten(user, room)) {
                    continue;
                }
                roomState
                        .memberEvent(room, user)
                        .ifPresent(leave ->
                                rooms.add(departed(viewer, room, leave, limit, now, data.forRoom(room), false)));
            }
        }

        ArrayNode presenceEvents = NODES.arrayNode();
        long nowMillis = clock.nowMillis();
        for (PresenceStatus status : presence.changesFor(user, joined, 0, now.presence())) {
            if (status.state() != PresenceState.OFFLINE) {
                presenceEvents.add(LegacyFormat.presence(status, nowMillis));
            }
        }
        ArrayNode receiptEvents = NODES.arrayNode();
        LegacyFormat.receipts(receiptsUpTo(joined, now), user).forEach(receiptEvents::add);
        return new InitialSnapshot(rooms, presenceEvents, data.global(), receiptEvents, end.encode());
    }

    /**
     * One room with up to {@code limit} messages: as it is now for a member or a reader of a
     * world_readable room (who is shown no membership when not joined), as it was when they left
     * for a user who left or was banned. 404 for an unknown room, 403 {@code M_FORBIDDEN} for a
     * room the user may not read.
     */
    public RoomSnapshot room(ClientEvents.Viewer viewer, RoomId room, int limit) {
        UserId user = viewer.user();
        reads.access(user, room);
        SyncToken now = positions.current();
        ArrayNode roomAccountData = accountData(user, now).forRoom(room);
        Optional<StoredEvent> member = roomState.memberEvent(room, user);
        String membership = member.map(e -> membershipOf(e)).orElse("");
        if ((membership.equals("leave") || membership.equals("ban")) && !forgotten.isForgotten(user, room)) {
            return departed(viewer, room, member.get(), limit, now, roomAccountData, true);
        }
        SyncToken end = LegacyTokens.end(now, now.events(), Optional.empty());
        return current(viewer, room, membership.equals("join") ? "join" : null, limit, end, roomAccountData, true);
    }

    /** A room as it is now; with its members' presence and its receipts when {@code detailed}. */
    private RoomSnapshot current(
            ClientEvents.Viewer viewer,
            RoomId room,
            String membership,
            int limit,
            SyncToken end,
            ArrayNode roomAccountData,
            boolean detailed) {
        Map<StateKey, StoredEvent> state = roomState.currentStateEvents(room);
        RoomSnapshot.Messages messages = messages(viewer, room, Optional.empty(), limit, end);
        ArrayNode presenceEvents = null;
        ArrayNode receiptEvents = null;
        if (detailed) {
            ArrayNode events = NODES.arrayNode();
            presenceEvents = events;
            long nowMillis = clock.nowMillis();
            for (StoredEvent e : state.values()) {
                if (e.pdu().type().equals(MEMBER) && membershipOf(e).equals("join")) {
                    memberId(e).ifPresent(m -> events.add(LegacyFormat.presence(presence.current(m), nowMillis)));
                }
            }
            receiptEvents = NODES.arrayNode();
            LegacyFormat.receipts(receiptsUpTo(List.of(room), end), viewer.user())
                    .forEach(receiptEvents::add);
        }
        return new RoomSnapshot(
                room.value(),
                membership,
                visibility(room),
                null,
                null,
                messages,
                format.events(state.values(), viewer),
                presenceEvents,
                receiptEvents,
                roomAccountData);
    }

    /** A room as it was at {@code left}, the user's leave or ban; no presence or receipts from after. */
    private RoomSnapshot departed(
            ClientEvents.Viewer viewer,
            RoomId room,
            StoredEvent left,
            int limit,
            SyncToken now,
            ArrayNode roomAccountData,
            boolean detailed) {
        Map<StateKey, StoredEvent> state = roomState.events(roomState.stateAfter(left.eventId()));
        SyncToken end = LegacyTokens.end(now, left.streamOrdering(), Optional.empty());
        RoomSnapshot.Messages messages = messages(viewer, room, Optional.of(left.position()), limit, end);
        return new RoomSnapshot(
                room.value(),
                membershipOf(left),
                visibility(room),
                null,
                null,
                messages,
                format.events(state.values(), viewer),
                detailed ? NODES.arrayNode() : null,
                detailed ? NODES.arrayNode() : null,
                roomAccountData);
    }

    /** The last {@code limit} messages the user may see, up to {@code upTo} (else the latest), oldest first. */
    private RoomSnapshot.Messages messages(
            ClientEvents.Viewer viewer, RoomId room, Optional<RoomPosition> upTo, int limit, SyncToken end) {
        RoomTimelineHandler.Messages page = timeline.messages(
                viewer.user(), room, upTo, Optional.empty(), Direction.BACKWARDS, limit, RoomEventFilter.ALL);
        List<StoredEvent> chunk = page.chunk().reversed();
        RoomPosition start =
                chunk.isEmpty() ? page.start() : chunk.getFirst().position().before();
        return new RoomSnapshot.Messages(format.events(chunk, viewer), RoomTokens.encode(start), end.encode());
    }

    private static String membershipOf(StoredEvent member) {
        return member.pdu().content().path("membership").asText("");
    }

    /** The member a member event is about; empty for a state key that is no user id (from a remote server). */
    private static Optional<UserId> memberId(StoredEvent member) {
        try {
            return member.pdu().stateKey().map(UserId::parse);
        } catch (InvalidIdentifierException e) {
            return Optional.empty();
        }
    }

    private String visibility(RoomId room) {
        return roomStore.get(room).filter(Room::isPublic).isPresent() ? "public" : "private";
    }

    private List<Receipt> receiptsUpTo(Collection<RoomId> rooms, SyncToken now) {
        return receipts.changesSince(rooms, 0).stream()
                .filter(r -> r.streamId() <= now.receipts())
                .toList();
    }

    /** The user's account data as these APIs serve it: global entries, and room entries by room. */
    private record AccountData(ArrayNode global, Map<RoomId, ArrayNode> byRoom) {
        ArrayNode forRoom(RoomId room) {
            return byRoom.getOrDefault(room, NODES.arrayNode());
        }
    }

    private AccountData accountData(UserId user, SyncToken now) {
        ArrayNode global = NODES.arrayNode();
        Map<RoomId, ArrayNode> byRoom = new LinkedHashMap<>();
        for (AccountDataChange change : accountData.changesSince(user, 0)) {
            if (change.streamId() > now.accountData() || !LegacyFormat.served(change, true)) {
                continue;
            }
            if (change.room().isPresent()) {
                byRoom.computeIfAbsent(change.room().get(), r -> NODES.arrayNode())
                        .add(LegacyFormat.accountData(change, false));
            } else {
                global.add(LegacyFormat.accountData(change, false));
            }
        }
        return new AccountData(global, byRoom);
    }
}
