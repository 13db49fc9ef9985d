package dev.myelin.server.handler.sync;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.myelin.core.event.content.Membership;
import dev.myelin.core.id.DeviceId;
import dev.myelin.core.id.EventId;
import dev.myelin.core.id.RoomId;
import dev.myelin.core.id.UserId;
import dev.myelin.core.time.Clock;
import dev.myelin.server.handler.filter.RoomEventFilter;
import dev.myelin.server.handler.room.ClientEvents;
import dev.myelin.server.handler.room.HistoryVisibilityFilter;
import dev.myelin.server.handler.room.RoomTokens;
import dev.myelin.server.handler.typing.TypingHandler;
import dev.myelin.storage.account.AccountDataChange;
import dev.myelin.storage.event.EventStore;
import dev.myelin.storage.event.StoredEvent;
import dev.myelin.storage.receipt.Receipt;
import dev.myelin.storage.state.StateKey;
import dev.myelin.storage.state.StateStore;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Builds one room's entry of a {@code /sync} response: the timeline of a stream range, the state
 * at its start (all of it, or what changed since the token when the timeline is limited), and
 * for joined rooms the ephemeral events, room account data, counts and summary.
 *
 * @see <a href="https://spec.matrix.org/v1.19/client-server-api/#get_matrixclientv3sync">GET /sync</a>
 */
public final class RoomSyncBuilder {
    /** The timeline length when the filter sets none, as Synapse does. */
    static final int DEFAULT_TIMELINE_LIMIT = 10;
    /** Events read per query while filling a filtered timeline. */
    private static final int BATCH = 50;
    /**
     * The most events read back from the end of a range while looking for ones the user may see;
     * past it the timeline is cut short and marked limited, so a user who joined a long room whose
     * earlier history is hidden from them does not make every sync walk all of it.
     */
    private static final int MAX_SCANNED = 10 * BATCH;

    private static final int MAX_HEROES = 5;
    private static final String MEMBER = "m.room.member";
    /** The state an invitee or knocker may see before joining. */
    private static final List<String> STRIPPED_TYPES = List.of(
            "m.room.create",
            "m.room.join_rules",
            "m.room.name",
            "m.room.avatar",
            "m.room.canonical_alias",
            "m.room.encryption",
            "m.room.topic");

    private static final List<StateKey> STRIPPED_KEYS =
            STRIPPED_TYPES.stream().map(t -> StateKey.of(t, "")).toList();
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private final StateStore stateStore;
    private final EventStore eventStore;
    private final TypingHandler typing;
    private final ClientEvents clientEvents;
    private final HistoryVisibilityFilter visibility;
    private final UnreadNotifications unread;
    private final StateSection stateSection;

    public RoomSyncBuilder(
            StateStore stateStore,
            EventStore eventStore,
            TypingHandler typing,
            ClientEvents clientEvents,
            HistoryVisibilityFilter visibility,
            UnreadNotifications unread,
            Clock clock) {
        this.stateStore = stateStore;
        this.eventStore = eventStore;
        this.typing = typing;
        this.clientEvents = clientEvents;
        this.visibility = visibility;
        this.unread = unread;
        this.stateSection = new StateSection(stateStore, eventStore, new SentMembers(clock));
    }

    private record Timeline(List<StoredEvent> events, boolean limited) {}

    /**
     * A joined room's entry, and the other users whose joins it carries (in its timeline or state):
     * users the syncing user newly shares the room with.
     */
    record Joined(ObjectNode json, Set<UserId> joins) {}

    /**
     * A joined room's entry for events after {@code from} up to {@code to}. A full-state entry (an
     * initial sync, a room joined since the token, or {@code full_state}) is always given; any other
     * is empty when it has nothing to report. For a room joined since the token, {@code from} is 0:
     * its timeline is the room's recent history, as in an initial sync, and is limited whenever it
     * does not reach back to the room's first event, so the client knows it may paginate.
     */
    Optional<Joined> joined(SyncContext ctx, RoomId room, long from, long to, boolean fullState, boolean newlyJoined) {
        Timeline timeline = timeline(ctx, room, from, to);
        if (newlyJoined && !timeline.limited() && hasEventsBefore(room, timeline, to)) {
            timeline = new Timeline(timeline.events(), true);
        }
        List<StoredEvent> state =
                stateSection.state(ctx, room, timeline.events(), timeline.limited(), from, to, fullState);
        ArrayNode ephemeral = ephemeral(ctx, room);
        ArrayNode accountData = roomAccountData(ctx, room);
        if (!fullState
                && timeline.events().isEmpty()
                && state.isEmpty()
                && ephemeral.isEmpty()
                && accountData.isEmpty()) {
            return Optional.empty();
        }
        ObjectNode entry = NODES.objectNode();
        entry.putObject("account_data").set("events", accountData);
        entry.putObject("ephemeral").set("events", ephemeral);
        entry.putObject("state").set("events", events(ctx, state));
        entry.set(
                "summary",
                fullState || changesSummary(timeline.events()) || changesSummary(state)
                        ? summary(ctx.user(), room)
                        : NODES.objectNode());
        entry.set("timeline", timelineJson(ctx, room, timeline, to, from == 0));
        entry.set("unread_notifications", unread.counts(ctx.user(), room));
        Set<UserId> joins = new HashSet<>();
        for (StoredEvent e : timeline.events()) {
            joinOf(ctx, e).ifPresent(joins::add);
        }
        for (StoredEvent e : state) {
            joinOf(ctx, e).ifPresent(joins::add);
        }
        return Optional.of(new Joined(entry, joins));
    }

    /**
     * Whether {@code events} may change the room summary (members, name or canonical alias): the summary
     * is sent again only then, as the spec allows it to be left out when it has not changed since the
     * last sync, and reading it is the most expensive part of a busy room's entry.
     */
    private static boolean changesSummary(List<StoredEvent> events) {
        for (StoredEvent e : events) {
            String type = e.pdu().type();
            if (e.pdu().isState()
                    && (type.equals(MEMBER) || type.equals("m.room.name") || type.equals("m.room.canonical_alias"))) {
                return true;
            }
        }
        return false;
    }

    /** The user whose join {@code e} is, unless it is the syncing user's own. */
    private static Optional<UserId> joinOf(SyncContext ctx, StoredEvent e) {
        if (!e.pdu().type().equals(MEMBER)
                || !e.pdu().content().path("membership").asText("").equals("join")) {
            return Optional.empty();
        }
        return e.pdu().stateKey().filter(k -> !k.equals(ctx.user().toString())).map(UserId::parse);
    }

    /** Whether the room has events before the timeline's first (any at all, for an empty timeline). */
    private boolean hasEventsBefore(RoomId room, Timeline timeline, long to) {
        long before =
                timeline.events().isEmpty() ? to : timeline.events().getFirst().streamOrdering() - 1;
        return !eventStore.roomEventsByStream(room, Long.MIN_VALUE, before, 1).isEmpty();
    }

    /**
     * A left (or banned) room's entry: the timeline up to {@code to}, the user's leave, and its
     * state. {@code sawRoom} is false when the user never joined in the range nor before it (a
     * rejected invite), and then only their own membership changes are shown.
     */
    ObjectNode left(
            SyncContext ctx,
            RoomId room,
            long from,
            long to,
            boolean fullState,
            boolean sawRoom,
            List<StoredEvent> ownMembership) {
        ObjectNode entry = NODES.objectNode();
        entry.putObject("account_data").set("events", roomAccountData(ctx, room));
        if (sawRoom) {
            Timeline timeline = timeline(ctx, room, from, to);
            List<StoredEvent> state =
                    stateSection.state(ctx, room, timeline.events(), timeline.limited(), from, to, fullState);
            entry.putObject("state").set("events", events(ctx, state));
            entry.set("timeline", timelineJson(ctx, room, timeline, to, false));
        } else {
            entry.putObject("state").set("events", NODES.arrayNode());
            entry.set("timeline", timelineJson(ctx, room, new Timeline(ownMembership, false), to, false));
        }
        return entry;
    }

    /** An invited room's entry: stripped state and the invite itself. */
    ObjectNode invited(SyncContext ctx, RoomId room, StoredEvent invite) {
        ObjectNode entry = NODES.objectNode();
        entry.putObject("invite_state").set("events", strippedState(ctx, room, invite));
        return entry;
    }

    /** A knocked room's entry: stripped state and the knock itself. */
    ObjectNode knocked(SyncContext ctx, RoomId room, StoredEvent knock) {
        ObjectNode entry = NODES.objectNode();
        entry.putObject("knock_state").set("events", strippedState(ctx, room, knock));
        return entry;
    }

    /**
     * The stripped state as it was when {@code membership} (the invite or knock) was sent, read from
     * the state group stored with it: what changed later is for members only. An invite also
     * carries the inviter's own membership. A membership without stored state (an outlier) falls
     * back to the current state.
     */
    private ArrayNode strippedState(SyncContext ctx, RoomId room, StoredEvent membership) {
        List<StateKey> keys = new ArrayList<>(STRIPPED_KEYS);
        String sender = membership.pdu().sender().toString();
        if (!membership.pdu().stateKey().orElse("").equals(sender)) {
            keys.add(StateKey.member(sender));
        }
        Map<StateKey, EventId> then =
                stateStore.stateAt(membership.eventId()).orElseGet(() -> stateStore.currentState(room, keys));
        List<EventId> ids = new ArrayList<>();
        for (StateKey key : keys) {
            EventId id = then.get(key);
            if (id != null) {
                ids.add(id);
            }
        }
        ArrayNode events = NODES.arrayNode();
        Map<EventId, StoredEvent> loaded = eventStore.getAll(ids);
        for (EventId id : ids) {
            StoredEvent e = loaded.get(id);
            if (e != null) {
                ObjectNode stripped = events.addObject();
                stripped.put("type", e.pdu().type());
                stripped.put("state_key", e.pdu().stateKey().orElse(""));
                stripped.set("content", e.pdu().content().deepCopy());
                stripped.put("sender", e.pdu().sender().toString());
            }
        }
        events.addAll(events(ctx, List.of(membership)));
        return events;
    }

    private Timeline timeline(SyncContext ctx, RoomId room, long from, long to) {
        RoomEventFilter filter = ctx.filter().room().timeline();
        if (!filter.allowsRoom(room)) {
            return new Timeline(List.of(), false);
        }
        int limit = filter.events().limitOr(DEFAULT_TIMELINE_LIMIT);
        List<StoredEvent> newestFirst = new ArrayList<>();
        boolean more = false;
        long upper = to;
        int scanned = 0;
        while (!more) {
            List<StoredEvent> batch = eventStore.roomEventsByStream(room, from, upper, BATCH);
            List<StoredEvent> wanted = new ArrayList<>(batch.size());
            batch.stream().filter(e -> allows(filter, e)).forEach(wanted::add);
            List<StoredEvent> visible = visibleOrCurrentState(ctx, room, wanted);
            for (int i = visible.size() - 1; i >= 0 && !more; i--) {
                if (newestFirst.size() == limit) {
                    more = true;
                } else {
                    newestFirst.add(visible.get(i));
                }
            }
            scanned += batch.size();
            if (batch.size() < BATCH) {
                break;
            }
            if (scanned >= MAX_SCANNED) {
                more = true;
                break;
            }
            upper = batch.getFirst().streamOrdering() - 1;
        }
        return new Timeline(newestFirst.reversed(), more);
    }

    /**
     * The events the user may see, and also those hidden by history visibility that are still part of
     * the room's current state: a client builds the room's state from the timeline, so a member who
     * joined while the user was away must show up once the user is back (as Synapse does).
     */
    private List<StoredEvent> visibleOrCurrentState(SyncContext ctx, RoomId room, List<StoredEvent> events) {
        List<StoredEvent> visible = visibility.filter(ctx.user(), room, events);
        if (visible.size() == events.size()) {
            return visible;
        }
        // the filter's copies are what may be served (it may hand back an event changed for the reader)
        Map<EventId, StoredEvent> shown = new HashMap<>();
        visible.forEach(e -> shown.put(e.eventId(), e));
        List<StoredEvent> out = new ArrayList<>(events.size());
        for (StoredEvent e : events) {
            StoredEvent served = shown.get(e.eventId());
            if (served != null) {
                out.add(served);
            } else if (isCurrentState(room, e)) {
                out.add(e);
            }
        }
        return out;
    }

    private boolean isCurrentState(RoomId room, StoredEvent e) {
        return e.pdu().stateKey().isPresent()
                && stateStore
                        .currentStateEvent(
                                room,
                                StateKey.of(e.pdu().type(), e.pdu().stateKey().get()))
                        .filter(e.eventId()::equals)
                        .isPresent();
    }

    /** Forgets the members a device was sent: its client starts afresh with an initial sync. */
    void startingAfresh(UserId user, Optional<DeviceId> device) {
        stateSection.startingAfresh(user, device);
    }

    static boolean allows(RoomEventFilter filter, StoredEvent e) {
        return filter.allows(
                e.pdu().type(),
                e.pdu().sender().toString(),
                e.pdu().content().path("url").isTextual());
    }

    /**
     * @param fromHistory whether the timeline is the room's recent history (an initial sync or a
     *     newly joined room) rather than what happened since the token
     */
    private ObjectNode timelineJson(SyncContext ctx, RoomId room, Timeline timeline, long to, boolean fromHistory) {
        ObjectNode json = NODES.objectNode();
        json.set("events", events(ctx, timeline.events()));
        json.put("limited", timeline.limited());
        if (fromHistory && !timeline.limited() && !timeline.events().isEmpty()) {
            // The whole history fitted. Synapse then gives the position after the timeline, so
            // paginating from it serves the timeline again; clients (and Synapse's own test suite)
            // expect a first /messages from prev_batch to return events, and drop the repeats by id.
            json.put("prev_batch", RoomTokens.encode(timeline.events().getLast().position()));
        } else if (!timeline.events().isEmpty()) {
            json.put(
                    "prev_batch",
                    RoomTokens.encode(timeline.events().getFirst().position().before()));
        } else {
            // nothing new: earlier events are everything up to the room's latest one
            lastEventAtOrBefore(room, to).ifPresent(e -> json.put("prev_batch", RoomTokens.encode(e.position())));
        }
        return json;
    }

    private Optional<StoredEvent> lastEventAtOrBefore(RoomId room, long stream) {
        List<StoredEvent> last = eventStore.roomEventsByStream(room, Long.MIN_VALUE, stream, 1);
        return last.isEmpty() ? Optional.empty() : Optional.of(last.getFirst());
    }

    private ArrayNode ephemeral(SyncContext ctx, RoomId room) {
        ArrayNode events = NODES.arrayNode();
        RoomEventFilter filter = ctx.filter().room().ephemeral();
        if (!filter.allowsRoom(room)) {
            return events;
        }
        // an initial sync shows who types in every room where anyone typed since the server
        // started, an empty list included, as Synapse does: a client that starts syncing just
        // after a stop still learns of it
        boolean typingChanged = typing.changedSince(
                room, ctx.since().map(since -> since.typing()).orElse(0L));
        if (typingChanged && filter.events().allowsType("m.typing")) {
            ObjectNode event = events.addObject().put("type", "m.typing");
            ArrayNode users = event.putObject("content").putArray("user_ids");
            typing.typing(room).forEach(u -> users.add(u.toString()));
        }
        List<Receipt> receipts = ctx.receipts().getOrDefault(room, List.of());
        if (!receipts.isEmpty() && filter.events().allowsType("m.receipt")) {
            ObjectNode content = NODES.objectNode();
            for (Receipt r : receipts) {
                if (r.receiptType().equals("m.read.private") && !r.user().equals(ctx.user())) {
                    continue;
                }
                if (!filter.events().allowsSender(r.user().toString())) {
                    continue;
                }
                ObjectNode byEvent = content.has(r.eventId().value())
                        ? (ObjectNode) content.get(r.eventId().value())
                        : content.putObject(r.eventId().value());
                ObjectNode byType = byEvent.has(r.receiptType())
                        ? (ObjectNode) byEvent.get(r.receiptType())
                        : byEvent.putObject(r.receiptType());
                byType.set(r.user().toString(), r.data().deepCopy());
            }
            if (!content.isEmpty()) {
                events.addObject().put("type", "m.receipt").set("content", content);
            }
        }
        return events;
    }

    private ArrayNode roomAccountData(SyncContext ctx, RoomId room) {
        ArrayNode events = NODES.arrayNode();
        RoomEventFilter filter = ctx.filter().room().accountData();
        if (!filter.allowsRoom(room)) {
            return events;
        }
        for (AccountDataChange change : ctx.roomAccountData().getOrDefault(room, List.of())) {
            if (filter.events().allowsType(change.type())) {
                events.addObject()
                        .put("type", change.type())
                        .set("content", change.content().deepCopy());
            }
        }
        return events;
    }

    /**
     * The member counts, and {@code m.heroes} when the room has neither a name nor a canonical alias
     * (clients name the room after them only then): up to five joined or invited members other than
     * the user, in the order they became members (left or banned ones when there are none). Read from
     * the room's current state with counts and a bounded query, never the whole state: in a large
     * room this runs on every sync that reports the room.
     */
    private ObjectNode summary(UserId user, RoomId room) {
        ObjectNode summary = NODES.objectNode();
        if (!hasText(room, "m.room.name", "name") && !hasText(room, "m.room.canonical_alias", "alias")) {
            List<UserId> heroes =
                    stateStore.members(room, List.of(Membership.JOIN, Membership.INVITE), user, MAX_HEROES);
            if (heroes.isEmpty()) {
                heroes = stateStore.members(room, List.of(Membership.LEAVE, Membership.BAN), user, MAX_HEROES);
            }
            ArrayNode heroJson = summary.putArray("m.heroes");
            heroes.forEach(hero -> heroJson.add(hero.toString()));
        }
        summary.put("m.joined_member_count", stateStore.joinedMemberCount(room));
        summary.put("m.invited_member_count", stateStore.memberCount(room, Membership.INVITE));
        return summary;
    }

    /** Whether the room's current {@code type} state event has a non-empty string {@code field}. */
    private boolean hasText(RoomId room, String type, String field) {
        return stateStore
                .currentStateEvent(room, StateKey.of(type, ""))
                .flatMap(eventStore::get)
                .map(e -> e.pdu().content().path(field))
                .filter(v -> v.isTextual() && !v.asText().isEmpty())
                .isPresent();
    }

    private ArrayNode events(SyncContext ctx, List<StoredEvent> events) {
        ArrayNode array = NODES.arrayNode();
        clientEvents
                .render(events, ctx.viewer(), ctx.filter().federationFormat())
                .forEach(e -> array.add(EventFormatter.shape(e, ctx.filter())));
        return array;
    }
}
