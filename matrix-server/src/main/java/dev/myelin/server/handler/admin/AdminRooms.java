package dev.myelin.server.handler.admin;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.myelin.core.id.RoomId;
import dev.myelin.http.error.MatrixException;
import dev.myelin.server.handler.filter.RoomEventFilter;
import dev.myelin.server.handler.room.RoomStateReader;
import dev.myelin.storage.event.Direction;
import dev.myelin.storage.event.EventPage;
import dev.myelin.storage.event.EventStore;
import dev.myelin.storage.event.RoomPosition;
import dev.myelin.storage.event.StoredEvent;
import dev.myelin.storage.room.RoomSummaryStore;
import dev.myelin.storage.room.RoomSummaryStore.RoomSummary;
import dev.myelin.storage.state.StateStore;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * The rooms as Synapse's admin API shows them to server admins: the paged, sorted and searchable
 * list, one room's details, members, state and timeline, whether or not the admin is in the room.
 *
 * @see <a href="https://element-hq.github.io/synapse/latest/admin_api/rooms.html">Synapse's room admin API</a>
 */
public final class AdminRooms {
    /** The most rooms or events one page holds. */
    public static final int MAX_LIMIT = 1000;

    private final RoomSummaryStore summaries;
    private final RoomStateReader roomState;
    private final StateStore state;
    private final EventStore events;

    public AdminRooms(RoomSummaryStore summaries, RoomStateReader roomState, StateStore state, EventStore events) {
        this.summaries = summaries;
        this.roomState = roomState;
        this.state = state;
        this.events = events;
    }

    /** One room of the list, in Synapse's shape: what a room lacks is {@code null}, as there. */
    @JsonInclude(JsonInclude.Include.ALWAYS)
    public record ListedRoom(
            String roomId,
            @Nullable String name,
            @Nullable String canonicalAlias,
            long joinedMembers,
            long joinedLocalMembers,
            String version,
            @Nullable String creator,
            @Nullable String encryption,
            boolean federatable,
            @JsonProperty("public") boolean isPublic,
            @Nullable String joinRules,
            @Nullable String guestAccess,
            @Nullable String historyVisibility,
            long stateEvents,
            @Nullable String roomType) {}

    /** A page of the list: {@code offset} is its {@code from}, the batches the neighbouring pages' {@code from}. */
    public record Page(
            List<ListedRoom> rooms, long offset, long totalRooms, Optional<Long> nextBatch, Optional<Long> prevBatch) {}

    /** What the list can be sorted by, with each one's natural order ({@code dir=f}). */
    enum Order {
        NAME(Comparator.comparing(ListedRoom::name, nullsLast())),
        CANONICAL_ALIAS(Comparator.comparing(ListedRoom::canonicalAlias, nullsLast())),
        // counts go largest first, as in Synapse
        JOINED_MEMBERS(Comparator.comparingLong(ListedRoom::joinedMembers).reversed()),
        JOINED_LOCAL_MEMBERS(
                Comparator.comparingLong(ListedRoom::joinedLocalMembers).reversed()),
        VERSION(Comparator.comparing(ListedRoom::version)),
        CREATOR(Comparator.comparing(ListedRoom::creator, nullsLast())),
        ENCRYPTION(Comparator.comparing(ListedRoom::encryption, nullsLast())),
        FEDERATABLE(Comparator.comparing(ListedRoom::federatable)),
        PUBLIC(Comparator.comparing(r -> r.isPublic())),
        JOIN_RULES(Comparator.comparing(ListedRoom::joinRules, nullsLast())),
        GUEST_ACCESS(Comparator.comparing(ListedRoom::guestAccess, nullsLast())),
        HISTORY_VISIBILITY(Comparator.comparing(ListedRoom::historyVisibility, nullsLast())),
        STATE_EVENTS(Comparator.comparingLong(ListedRoom::stateEvents).reversed());

        final Comparator<ListedRoom> comparator;

        Order(Comparator<ListedRoom> comparator) {
            this.comparator = comparator;
        }

        private static Comparator<String> nullsLast() {
            return Comparator.nullsLast(Comparator.naturalOrder());
        }
    }

    /**
     * The rooms matching {@code search} (part of the name or canonical alias, any case, or the room
     * id), sorted by {@code orderBy} ({@code backwards} reverses it), from the {@code from}-th on.
     */
    public Page list(long from, int limit, String orderBy, boolean backwards, Optional<String> search) {
        if (from < 0) {
            throw MatrixException.invalidParam("from", "must not be negative");
        }
        if (limit < 0) {
            throw MatrixException.invalidParam("limit", "must not be negative");
        }
        Order order;
        try {
            order = Order.valueOf(orderBy.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw MatrixException.invalidParam("order_by", "Unknown value for order_by: " + orderBy);
        }
        Optional<String> needle = search.map(s -> s.toLowerCase(Locale.ROOT));
        Comparator<ListedRoom> comparator = backwards ? order.comparator.reversed() : order.comparator;
        List<ListedRoom> all = summaries.all().stream()
                .map(AdminRooms::listed)
                .filter(r -> needle.isEmpty() || matches(r, needle.get()))
                .sorted(comparator.thenComparing(ListedRoom::roomId))
                .toList();
        int capped = Math.min(limit, MAX_LIMIT);
        int start = (int) Math.min(from, all.size());
        int end = (int) Math.min((long) start + capped, all.size());
        return new Page(
                all.subList(start, end),
                from,
                all.size(),
                end < all.size() ? Optional.of((long) end) : Optional.empty(),
                from > 0 ? Optional.of(Math.max(0, from - capped)) : Optional.empty());
    }

    private static boolean matches(ListedRoom room, String needle) {
        return contains(room.name(), needle)
                || contains(room.canonicalAlias(), needle)
                || contains(room.roomId(), needle);
    }

    private static boolean contains(@Nullable String haystack, String needle) {
        return haystack != null && haystack.toLowerCase(Locale.ROOT).contains(needle);
    }

    /** One room's details: its list entry plus avatar, topic, local devices and whether it is forgotten. */
    @JsonInclude(JsonInclude.Include.ALWAYS)
    public record Details(
            String roomId,
            @Nullable String name,
            @Nullable String topic,
            @Nullable String avatar,
            @Nullable String canonicalAlias,
            long joinedMembers,
            long joinedLocalMembers,
            long joinedLocalDevices,
            String version,
            @Nullable String creator,
            @Nullable String encryption,
            boolean federatable,
            @JsonProperty("public") boolean isPublic,
            @Nullable String joinRules,
            @Nullable String guestAccess,
            @Nullable String historyVisibility,
            long stateEvents,
            @Nullable String roomType,
            boolean forgotten) {}

    /** One room's details; 404 {@code M_NOT_FOUND} for a room this server does not know. */
    public Details details(RoomId room) {
        RoomSummary summary = summaries.get(room).orElseThrow(() -> MatrixException.notFound("Room not found"));
        ListedRoom listed = listed(summary);
        return new Details(
                listed.roomId(),
                listed.name(),
                text(summary.state(), "m.room.topic", "topic"),
                text(summary.state(), "m.room.avatar", "url"),
                listed.canonicalAlias(),
                listed.joinedMembers(),
                listed.joinedLocalMembers(),
                summaries.joinedLocalDevices(room),
                listed.version(),
                listed.creator(),
                listed.encryption(),
                listed.federatable(),
                listed.isPublic(),
                listed.joinRules(),
                listed.guestAccess(),
                listed.historyVisibility(),
                listed.stateEvents(),
                listed.roomType(),
                false);
    }

    /** The joined members of a known room. */
    public List<String> members(RoomId room) {
        roomState.requireRoom(room);
        return state.joinedMembers(room).stream().map(Object::toString).toList();
    }

    /** The current state events of a known room. */
    public List<StoredEvent> state(RoomId room) {
        roomState.requireRoom(room);
        return List.copyOf(roomState.currentStateEvents(room).values());
    }

    /** A page of a known room's timeline, as {@code /messages} but whoever asks, and where the page ends. */
    public record Messages(List<StoredEvent> chunk, RoomPosition start, Optional<RoomPosition> end) {}

    /** Up to {@code limit} events matching {@code filter} from {@code from} towards {@code to}. */
    public Messages messages(
            RoomId room,
            Optional<RoomPosition> from,
            Optional<RoomPosition> to,
            Direction direction,
            int limit,
            RoomEventFilter filter) {
        roomState.requireRoom(room);
        boolean forwards = direction == Direction.FORWARDS;
        RoomPosition start = from.orElseGet(() -> forwards ? RoomPosition.START : RoomPosition.END);
        RoomPosition bound = to.orElse(forwards ? RoomPosition.END : RoomPosition.START);
        int capped = Math.min(limit, MAX_LIMIT);
        List<StoredEvent> out = new ArrayList<>();
        RoomPosition cursor = start;
        boolean exhausted = false;
        // bounded rounds: a filter that matches little cannot make one request read the whole room
        for (int round = 0; round < 10 && out.size() < capped && !exhausted; round++) {
            int batch = Math.min(MAX_LIMIT, Math.max(capped - out.size(), 10) * 2);
            EventPage page = events.roomEventsBetween(room, cursor, bound, batch, direction);
            for (StoredEvent e : page.events()) {
                cursor = forwards ? e.position() : e.position().before();
                if (filter.matches(e.pdu())) {
                    out.add(e);
                    if (out.size() == capped) {
                        break;
                    }
                }
            }
            exhausted = page.events().size() < batch;
        }
        Optional<RoomPosition> end =
                out.isEmpty() || (exhausted && out.size() < capped) ? Optional.empty() : Optional.of(cursor);
        return new Messages(out, start, end);
    }

    private static ListedRoom listed(RoomSummary room) {
        Map<String, ObjectNode> state = room.state();
        ObjectNode create = state.get("m.room.create");
        String creator = room.creator().orElseGet(() -> create == null ? null : textOrNull(create.path("creator")));
        return new ListedRoom(
                room.roomId().value(),
                text(state, "m.room.name", "name"),
                text(state, "m.room.canonical_alias", "alias"),
                room.joinedMembers(),
                room.joinedLocalMembers(),
                room.versionId(),
                creator,
                text(state, "m.room.encryption", "algorithm"),
                create == null
                        || !create.path("m.federate").isBoolean()
                        || create.path("m.federate").asBoolean(),
                room.isPublic(),
                text(state, "m.room.join_rules", "join_rule"),
                text(state, "m.room.guest_access", "guest_access"),
                text(state, "m.room.history_visibility", "history_visibility"),
                room.stateEvents(),
                create == null ? null : textOrNull(create.path("type")));
    }

    private static @Nullable String text(Map<String, ObjectNode> state, String type, String field) {
        ObjectNode content = state.get(type);
        return content == null ? null : textOrNull(content.path(field));
    }

    private static @Nullable String textOrNull(JsonNode node) {
        return node.isTextual() ? node.asText() : null;
    }
}
