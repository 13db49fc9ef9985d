package dev.myelin.server.handler.slidingsync;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.myelin.core.event.content.Membership;
import dev.myelin.core.id.EventId;
import dev.myelin.core.id.RoomId;
import dev.myelin.core.id.UserId;
import dev.myelin.server.handler.room.ClientEvents;
import dev.myelin.server.handler.room.HistoryVisibilityFilter;
import dev.myelin.server.handler.room.RoomTokens;
import dev.myelin.server.handler.slidingsync.ConnectionState.SentRoom;
import dev.myelin.server.handler.slidingsync.RoomListing.Candidate;
import dev.myelin.server.handler.slidingsync.SlidingSyncRequest.RoomConfig;
import dev.myelin.server.handler.sync.UnreadNotifications;
import dev.myelin.storage.event.EventStore;
import dev.myelin.storage.event.StoredEvent;
import dev.myelin.storage.state.StateKey;
import dev.myelin.storage.state.StateStore;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * One room's entry of a sliding sync response. A room the connection has not sent (or sent with
 * another config, or as an invite it has since joined) is sent whole, with {@code initial: true}: its
 * latest timeline, the state its config asks for, name, avatar, heroes and counts. A room sent before
 * is sent only when events arrived since, with those events and what changed of the state asked for.
 */
final class RoomResults {
    /** The event types that move a room up the client's list (MSC4186's {@code bump_stamp}). */
    static final Set<String> BUMP_TYPES = Set.of(
            "m.room.create",
            "m.room.message",
            "m.room.encrypted",
            "m.sticker",
            "m.call.invite",
            "m.poll.start",
            "m.beacon_info");

    /** Events looked back through for the last one of a {@link #BUMP_TYPES bump type}. */
    private static final int BUMP_WINDOW = 50;

    private static final int MAX_HEROES = 5;
    private static final String MEMBER = "m.room.member";
    private static final List<StateKey> STRIPPED_KEYS = List.of(
            StateKey.of("m.room.create", ""),
            StateKey.of("m.room.join_rules", ""),
            StateKey.of("m.room.name", ""),
            StateKey.of("m.room.avatar", ""),
            StateKey.of("m.room.canonical_alias", ""),
            StateKey.of("m.room.encryption", ""),
            StateKey.of("m.room.topic", ""));
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private final StateStore stateStore;
    private final EventStore eventStore;
    private final ClientEvents clientEvents;
    private final HistoryVisibilityFilter visibility;
    private final UnreadNotifications unread;
    private final RoomListing listing;

    RoomResults(
            StateStore stateStore,
            EventStore eventStore,
            ClientEvents clientEvents,
            HistoryVisibilityFilter visibility,
            UnreadNotifications unread,
            RoomListing listing) {
        this.stateStore = stateStore;
        this.eventStore = eventStore;
        this.clientEvents = clientEvents;
        this.visibility = visibility;
        this.unread = unread;
        this.listing = listing;
    }

    /** What one request reads once for all its rooms. */
    record Context(ClientEvents.Viewer viewer, long now, Optional<Long> since) {
        UserId user() {
            return viewer.user();
        }
    }

    /** A room's entry and how the connection now holds the room. */
    record Result(ObjectNode json, SentRoom sent) {}

    /**
     * The room's entry, or empty when the connection holds it already and nothing happened in it
     * since; {@code lists} are the keys of the lists that matched it.
     */
    Optional<Result> build(Context ctx, Candidate c, RoomConfig config, Optional<SentRoom> before, List<String> lists) {
        Optional<Result> result = switch (c.membership()) {
            case "invite", "knock" -> stripped(ctx, c, config, before);
            default -> member(ctx, c, config, before);
        };
        result.ifPresent(r -> {
            if (!lists.isEmpty()) {
                ArrayNode keys = r.json().putArray("lists");
                lists.forEach(keys::add);
            }
        });
        return result;
    }

    private Optional<Result> stripped(Context ctx, Candidate c, RoomConfig config, Optional<SentRoom> before) {
        StoredEvent membership = c.membershipEvent().orElseThrow();
        if (before.isPresent()
                && before.get().membership().equals(c.membership())
                && before.get().sentTo() == membership.streamOrdering()) {
            return Optional.empty();
        }
        ObjectNode json = NODES.objectNode();
        json.put("initial", true);
        json.put("membership", c.membership());
        ArrayNode state = strippedState(ctx, c.room(), membership);
        json.set("invite_state", state);
        for (JsonNode e : state) {
            String type = e.path("type").asText();
            if (type.equals("m.room.name") && e.path("content").path("name").isTextual()) {
                json.put("name", e.path("content").path("name").asText());
            } else if (type.equals("m.room.avatar")
                    && e.path("content").path("url").isTextual()) {
                json.put("avatar", e.path("content").path("url").asText());
            }
        }
        json.put("bump_stamp", membership.streamOrdering());
        if (listing.isDm(ctx.user(), c)) {
            json.put("is_dm", true);
        }
        return Optional.of(
                new Result(json, new SentRoom(membership.streamOrdering(), config, c.membership(), Map.of())));
    }

    private Optional<Result> member(Context ctx, Candidate c, RoomConfig config, Optional<SentRoom> before) {
        RoomId room = c.room();
        boolean joined = c.membership().equals("join");
        long upTo = joined ? ctx.now() : c.membershipEvent().orElseThrow().streamOrdering();
        boolean initial = before.isEmpty()
                || !before.get().config().equals(config)
                || before.get().membership().equals("invite")
                || before.get().membership().equals("knock");
        long from = initial ? Long.MIN_VALUE : before.get().sentTo();
        if (!initial && from >= upTo) {
            return Optional.empty();
        }
        if (!joined && before.isPresent() && isPending(before.get().membership())) {
            return Optional.of(rejected(ctx, c, config));
        }
        int limit = config.timelineLimit();
        // one more than asked tells whether there was more; at least one tells whether anything happened
        List<StoredEvent> read = eventStore.roomEventsByStream(room, from, upTo, Math.max(limit, 1) + 1);
        if (!initial && read.isEmpty()) {
            return Optional.empty();
        }
        boolean limited = read.size() > limit;
        List<StoredEvent> visible = visibility.filter(ctx.user(), room, read);
        List<StoredEvent> timeline = visible.subList(Math.max(0, visible.size() - limit), visible.size());

        Map<StateKey, EventId> stateNow = joined
                ? Map.of()
                : stateStore.stateAt(c.membershipEvent().get().eventId()).orElse(Map.of());
        Map<String, EventId> members =
                new HashMap<>(initial ? Map.of() : before.get().members());
        Map<StateKey, EventId> section = initial
                ? initialState(room, config, stateNow, joined)
                : changedState(room, config, stateNow, joined, read, limited, from);
        if (config.requiredState().lazyMembers()) {
            Set<String> wanted = new LinkedHashSet<>();
            for (StoredEvent e : timeline) {
                wanted.add(e.pdu().sender().toString());
                if (e.pdu().type().equals(MEMBER)) {
                    e.pdu().stateKey().ifPresent(wanted::add);
                }
            }
            List<StateKey> keys = wanted.stream().map(StateKey::member).toList();
            Map<StateKey, EventId> current = joined ? stateStore.currentState(room, keys) : pick(stateNow, keys);
            current.forEach((key, id) -> {
                if (!id.equals(members.get(key.stateKey()))) {
                    section.put(key, id);
                }
            });
        }
        List<StoredEvent> stateEvents =
                new ArrayList<>(eventStore.getAll(section.values()).values());
        stateEvents.sort(Comparator.comparingLong(StoredEvent::streamOrdering));
        for (StoredEvent e : stateEvents) {
            if (e.pdu().type().equals(MEMBER)) {
                e.pdu().stateKey().ifPresent(k -> members.put(k, e.eventId()));
            }
        }

        ObjectNode json = NODES.objectNode();
        if (initial) {
            json.put("initial", true);
        }
        json.put("membership", c.membership());
        boolean stateChanged = initial;
        boolean membersChanged = initial;
        for (StoredEvent e : read) {
            if (e.pdu().isState()) {
                stateChanged |=
                        e.pdu().type().equals("m.room.name") || e.pdu().type().equals("m.room.avatar");
                membersChanged |= e.pdu().type().equals(MEMBER);
            }
        }
        Optional<ObjectNode> name = content(room, "m.room.name", stateNow, joined);
        if (stateChanged) {
            name.map(n -> n.path("name"))
                    .filter(n -> n.isTextual() && !n.asText().isEmpty())
                    .ifPresent(n -> json.put("name", n.asText()));
            content(room, "m.room.avatar", stateNow, joined)
                    .map(a -> a.path("url"))
                    .filter(JsonNode::isTextual)
                    .ifPresent(url -> json.put("avatar", url.asText()));
        }
        if (membersChanged) {
            if (!json.has("name")
                    && name.map(n -> n.path("name").asText("").isEmpty()).orElse(true)) {
                json.set("heroes", heroes(ctx.user(), room));
            }
            json.put("joined_count", stateStore.joinedMemberCount(room));
            json.put("invited_count", stateStore.memberCount(room, Membership.INVITE));
        }
        if (initial && listing.isDm(ctx.user(), c)) {
            json.put("is_dm", true);
        }
        json.set("required_state", render(ctx, stateEvents));
        json.set("timeline", render(ctx, timeline));
        if (!timeline.isEmpty()) {
            json.put(
                    "prev_batch",
                    RoomTokens.encode(timeline.getFirst().position().before()));
        } else if (!read.isEmpty()) {
            json.put("prev_batch", RoomTokens.encode(read.getLast().position()));
        }
        json.put("limited", limited);
        long liveAfter = initial ? ctx.since().orElse(Long.MAX_VALUE) : from;
        json.put(
                "num_live",
                timeline.stream().filter(e -> e.streamOrdering() > liveAfter).count());
        ObjectNode counts = unread.counts(ctx.user(), room);
        json.put("notification_count", counts.path("notification_count").asLong(0));
        json.put("highlight_count", counts.path("highlight_count").asLong(0));
        if (initial || !read.isEmpty()) {
            json.put("bump_stamp", bumpStamp(room, upTo, c));
        }
        return Optional.of(new Result(json, new SentRoom(upTo, config, c.membership(), members)));
    }

    private static boolean isPending(String membership) {
        return membership.equals("invite") || membership.equals("knock");
    }

    /**
     * A rejected or withdrawn invite or knock: the user never saw the room, so they get their own
     * membership event only.
     */
    private Result rejected(Context ctx, Candidate c, RoomConfig config) {
        StoredEvent leave = c.membershipEvent().orElseThrow();
        ObjectNode json = NODES.objectNode();
        json.put("initial", true);
        json.put("membership", c.membership());
        json.set("required_state", NODES.arrayNode());
        json.set("timeline", render(ctx, List.of(leave)));
        json.put("limited", false);
        json.put(
                "num_live",
                ctx.since().map(s -> leave.streamOrdering() > s ? 1 : 0).orElse(0));
        json.put("bump_stamp", leave.streamOrdering());
        return new Result(json, new SentRoom(leave.streamOrdering(), config, c.membership(), Map.of()));
    }

    /** The state the config asks for, now (or when the user left). */
    private Map<StateKey, EventId> initialState(
            RoomId room, RoomConfig config, Map<StateKey, EventId> stateThen, boolean joined) {
        RequiredState wanted = config.requiredState();
        Map<StateKey, EventId> out = new HashMap<>();
        if (wanted.include().isEmpty()) {
            return out;
        }
        Map<StateKey, EventId> source = !joined
                ? stateThen
                : wanted.hasWildcard()
                        ? stateStore.currentState(room)
                        : stateStore.currentState(room, wanted.exactKeys());
        source.forEach((key, id) -> {
            if (wanted.matches(key)) {
                out.put(key, id);
            }
        });
        return out;
    }

    /**
     * What changed of the state asked for since events position {@code from}: the entries of the state
     * events that arrived (all of them were {@code read} unless the timeline is limited), or when it is,
     * the difference between the state then and now.
     */
    private Map<StateKey, EventId> changedState(
            RoomId room,
            RoomConfig config,
            Map<StateKey, EventId> stateThen,
            boolean joined,
            List<StoredEvent> read,
            boolean limited,
            long from) {
        RequiredState wanted = config.requiredState();
        Map<StateKey, EventId> out = new HashMap<>();
        if (wanted.include().isEmpty()) {
            return out;
        }
        if (limited) {
            Map<StateKey, EventId> now = joined ? stateStore.currentState(room) : stateThen;
            Map<StateKey, EventId> old = stateAtStream(room, from);
            now.forEach((key, id) -> {
                if (wanted.matches(key) && !id.equals(old.get(key))) {
                    out.put(key, id);
                }
            });
            return out;
        }
        List<StateKey> keys = new ArrayList<>();
        for (StoredEvent e : read) {
            if (e.pdu().isState()) {
                StateKey key = StateKey.of(e.pdu().type(), e.pdu().stateKey().orElse(""));
                if (wanted.matches(key)) {
                    keys.add(key);
                }
            }
        }
        if (!keys.isEmpty()) {
            out.putAll(joined ? stateStore.currentState(room, keys) : pick(stateThen, keys));
        }
        return out;
    }

    private Map<StateKey, EventId> stateAtStream(RoomId room, long stream) {
        List<StoredEvent> last = eventStore.roomEventsByStream(room, Long.MIN_VALUE, stream, 1);
        return last.isEmpty()
                ? Map.of()
                : stateStore.stateAt(last.getFirst().eventId()).orElse(Map.of());
    }

    private static Map<StateKey, EventId> pick(Map<StateKey, EventId> state, List<StateKey> keys) {
        Map<StateKey, EventId> out = new HashMap<>();
        for (StateKey key : keys) {
            EventId id = state.get(key);
            if (id != null) {
                out.put(key, id);
            }
        }
        return out;
    }

    private Optional<ObjectNode> content(RoomId room, String type, Map<StateKey, EventId> stateThen, boolean joined) {
        if (joined) {
            return listing.stateContent(room, type);
        }
        return Optional.ofNullable(stateThen.get(StateKey.of(type, "")))
                .flatMap(eventStore::get)
                .map(e -> e.pdu().content());
    }

    /** Up to five members other than the user with their names and avatars, as the room summary's heroes. */
    private ArrayNode heroes(UserId user, RoomId room) {
        List<UserId> heroes = stateStore.members(room, List.of(Membership.JOIN, Membership.INVITE), user, MAX_HEROES);
        if (heroes.isEmpty()) {
            heroes = stateStore.members(room, List.of(Membership.LEAVE, Membership.BAN), user, MAX_HEROES);
        }
        Map<StateKey, EventId> ids = stateStore.currentState(
                room, heroes.stream().map(h -> StateKey.member(h.toString())).toList());
        Map<EventId, StoredEvent> events = eventStore.getAll(ids.values());
        ArrayNode out = NODES.arrayNode();
        for (UserId hero : heroes) {
            ObjectNode h = out.addObject().put("user_id", hero.toString());
            Optional.ofNullable(ids.get(StateKey.member(hero.toString())))
                    .map(events::get)
                    .map(e -> e.pdu().content())
                    .ifPresent(content -> {
                        if (content.path("displayname").isTextual()) {
                            h.put("displayname", content.path("displayname").asText());
                        }
                        if (content.path("avatar_url").isTextual()) {
                            h.put("avatar_url", content.path("avatar_url").asText());
                        }
                    });
        }
        return out;
    }

    /**
     * The position of the room's last event of a {@link #BUMP_TYPES bump type} among its latest ones;
     * when none is that recent, the oldest of them (the room has been quiet at least since). For a room
     * the user is no longer in, the position of their leave.
     */
    private long bumpStamp(RoomId room, long upTo, Candidate c) {
        if (!c.membership().equals("join")) {
            return c.activity();
        }
        List<StoredEvent> recent = eventStore.roomEventsByStream(room, Long.MIN_VALUE, upTo, BUMP_WINDOW);
        for (int i = recent.size() - 1; i >= 0; i--) {
            if (BUMP_TYPES.contains(recent.get(i).pdu().type())) {
                return recent.get(i).streamOrdering();
            }
        }
        return recent.isEmpty() ? 0 : recent.getFirst().streamOrdering();
    }

    /** The stripped state as it was at the invite or knock, and the membership event itself. */
    private ArrayNode strippedState(Context ctx, RoomId room, StoredEvent membership) {
        List<StateKey> keys = new ArrayList<>(STRIPPED_KEYS);
        String sender = membership.pdu().sender().toString();
        if (!membership.pdu().stateKey().orElse("").equals(sender)) {
            keys.add(StateKey.member(sender));
        }
        Map<StateKey, EventId> then =
                stateStore.stateAt(membership.eventId()).orElseGet(() -> stateStore.currentState(room, keys));
        Map<EventId, StoredEvent> loaded = eventStore.getAll(pick(then, keys).values());
        ArrayNode out = NODES.arrayNode();
        for (StateKey key : keys) {
            EventId id = then.get(key);
            StoredEvent e = id == null ? null : loaded.get(id);
            if (e != null) {
                ObjectNode stripped = out.addObject();
                stripped.put("type", e.pdu().type());
                stripped.put("state_key", e.pdu().stateKey().orElse(""));
                stripped.set("content", e.pdu().content().deepCopy());
                stripped.put("sender", e.pdu().sender().toString());
            }
        }
        out.addAll(render(ctx, List.of(membership)));
        return out;
    }

    private ArrayNode render(Context ctx, List<StoredEvent> events) {
        ArrayNode out = NODES.arrayNode();
        for (ObjectNode e : clientEvents.render(events, ctx.viewer(), false)) {
            e.remove("room_id");
            out.add(e);
        }
        return out;
    }
}
