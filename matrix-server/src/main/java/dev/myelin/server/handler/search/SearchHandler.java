package dev.myelin.server.handler.search;

import dev.myelin.core.event.content.Membership;
import dev.myelin.core.id.EventId;
import dev.myelin.core.id.RoomId;
import dev.myelin.core.id.UserId;
import dev.myelin.http.error.MatrixException;
import dev.myelin.server.handler.filter.EventFilter;
import dev.myelin.server.handler.filter.RoomEventFilter;
import dev.myelin.server.handler.room.HistoryVisibilityFilter;
import dev.myelin.server.handler.search.SearchRequest.GroupKey;
import dev.myelin.server.handler.search.SearchRequest.Order;
import dev.myelin.server.handler.search.SearchResults.Group;
import dev.myelin.server.handler.search.SearchResults.Result;
import dev.myelin.storage.event.EventStore;
import dev.myelin.storage.event.StoredEvent;
import dev.myelin.storage.room.ForgottenRoomStore;
import dev.myelin.storage.search.EventSearchStore;
import dev.myelin.storage.search.EventSearchStore.Hit;
import dev.myelin.storage.state.StateStore;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * Searches room events for a user: in the rooms they are in or were in (not those they forgot),
 * through the full-text index, then through {@link HistoryVisibilityFilter}, so that a result is
 * only an event the user may see. Matches the user may not see are skipped, not counted against
 * the batch: each batch reads the index page by page until it has enough results or the index has
 * no more.
 *
 * @see <a href="https://spec.matrix.org/v1.19/client-server-api/#server-side-search">Server Side Search</a>
 */
public final class SearchHandler {
    /** The batch size when the filter sets no limit, as Synapse's. */
    public static final int DEFAULT_LIMIT = 10;
    /** How many index pages one request reads at most, so hidden matches cannot make it unbounded. */
    private static final int MAX_ROUNDS = 5;

    private static final int MAX_PAGE = 500;

    private final EventSearchStore index;
    private final EventStore events;
    private final StateStore state;
    private final ForgottenRoomStore forgotten;
    private final HistoryVisibilityFilter visibility;
    private final ResultDecorations decorations;

    public SearchHandler(
            EventSearchStore index,
            EventStore events,
            StateStore state,
            ForgottenRoomStore forgotten,
            HistoryVisibilityFilter visibility,
            ResultDecorations decorations) {
        this.index = index;
        this.events = events;
        this.state = state;
        this.forgotten = forgotten;
        this.visibility = visibility;
        this.decorations = decorations;
    }

    public SearchResults search(UserId user, SearchRequest request) {
        Optional<SearchBatch> batch = request.batch();
        if (batch.isPresent() && batch.get().order() != request.order()) {
            throw MatrixException.invalidParam("next_batch", "was handed out for another order_by");
        }
        EventSearchStore.Query query = query(user, request);
        List<String> terms = query.terms();
        int limit = request.filter().events().limitOr(DEFAULT_LIMIT);
        boolean rank = request.order() == Order.RANK;
        long offset = batch.filter(b -> rank).map(SearchBatch::position).orElse(0L);
        EventSearchStore.RecentCursor cursor = batch.filter(b -> !rank)
                .map(b -> new EventSearchStore.RecentCursor(b.position(), b.stream()))
                .orElse(EventSearchStore.RecentCursor.NEWEST);
        List<Result> results = new ArrayList<>();
        boolean more = false;
        int page = Math.min(MAX_PAGE, Math.max(limit * 2, 20));
        rounds:
        for (int round = 0; round < MAX_ROUNDS && results.size() < limit; round++) {
            List<Hit> hits = rank
                    ? index.byRank(query, (int) Math.min(offset, Integer.MAX_VALUE), page)
                    : index.byRecent(query, cursor, page);
            Map<EventId, StoredEvent> visible = visible(user, hits, request.filter());
            for (int i = 0; i < hits.size(); i++) {
                Hit hit = hits.get(i);
                if (rank) {
                    offset++;
                } else {
                    cursor = hit.cursor();
                }
                StoredEvent event = visible.get(hit.eventId());
                if (event != null) {
                    results.add(new Result(event, hit.rank(), Optional.empty()));
                    if (results.size() == limit) {
                        more = i < hits.size() - 1 || hits.size() == page;
                        break rounds;
                    }
                }
            }
            if (hits.size() < page) {
                break;
            }
            more = true; // the rounds may run out with matches left unread
        }
        Optional<SearchBatch> next = more
                ? Optional.of(
                        rank
                                ? new SearchBatch(Order.RANK, offset, 0, Optional.empty(), Optional.empty())
                                : new SearchBatch(
                                        Order.RECENT,
                                        cursor.originServerTs(),
                                        cursor.streamOrdering(),
                                        Optional.empty(),
                                        Optional.empty()))
                : Optional.empty();
        List<Result> decorated = request.context()
                .map(c -> decorations.withContext(user, results, c))
                .orElse(results);
        return new SearchResults(
                index.count(query),
                decorated,
                highlights(terms, results),
                next,
                request.includeState() ? decorations.roomStates(user, results) : Map.of(),
                groups(request.groupBy(), results, next));
    }

    /** The index query: the user's rooms, keys and senders narrowed by the filter and the batch's group. */
    private EventSearchStore.Query query(UserId user, SearchRequest request) {
        RoomEventFilter filter = request.filter();
        Optional<SearchBatch> batch = request.batch();
        Optional<String> groupRoom = groupValue(batch, GroupKey.ROOM_ID);
        Optional<String> groupSender = groupValue(batch, GroupKey.SENDER);
        Set<RoomId> rooms = new TreeSet<>((a, b) -> a.value().compareTo(b.value()));
        Set<RoomId> gone = new HashSet<>(forgotten.forgotten(user));
        for (Membership membership : List.of(Membership.JOIN, Membership.LEAVE, Membership.BAN)) {
            for (RoomId room : state.roomsForUser(user, membership)) {
                if (!gone.contains(room)
                        && filter.allowsRoom(room)
                        && groupRoom.map(room.value()::equals).orElse(true)) {
                    rooms.add(room);
                }
            }
        }
        EventFilter events = filter.events();
        List<String> keys = new ArrayList<>();
        EventSearchStore.KEYS.forEach((type, key) -> {
            if (request.keys().contains(key) && events.allowsType(type)) {
                keys.add(key);
            }
        });
        Optional<Collection<String>> senders =
                Optional.ofNullable(events.senders()).map(List::copyOf);
        if (groupSender.isPresent()) {
            String only = groupSender.get();
            senders = Optional.of(senders.map(s -> s.contains(only) ? List.of(only) : List.<String>of())
                    .orElse(List.of(only)));
        }
        return new EventSearchStore.Query(
                EventSearchStore.terms(request.searchTerm()), rooms, keys, senders, events.notSenders());
    }

    private static Optional<String> groupValue(Optional<SearchBatch> batch, GroupKey key) {
        return batch.filter(b -> b.groupKey().equals(Optional.of(key))).flatMap(SearchBatch::groupValue);
    }

    /** The events of {@code hits} that are not redacted, pass the filter and that the user may see. */
    private Map<EventId, StoredEvent> visible(UserId user, List<Hit> hits, RoomEventFilter filter) {
        Map<EventId, StoredEvent> found =
                events.getAll(hits.stream().map(Hit::eventId).toList());
        Map<RoomId, List<StoredEvent>> byRoom = new LinkedHashMap<>();
        for (Hit hit : hits) {
            StoredEvent event = found.get(hit.eventId());
            if (event != null && event.redactedBy().isEmpty() && filter.matches(event.pdu())) {
                byRoom.computeIfAbsent(hit.roomId(), r -> new ArrayList<>()).add(event);
            }
        }
        Map<EventId, StoredEvent> out = new HashMap<>();
        byRoom.forEach((room, list) -> visibility.filter(user, room, list).stream()
                // an erased sender's event comes back redacted: its words are not to be found
                .filter(e -> EventSearchStore.searchableText(e.pdu()).isPresent())
                .forEach(e -> out.put(e.eventId(), e)));
        return out;
    }

    /**
     * The words of the results' texts that start with one of the search's words, as they are
     * written there; the search's own words when the texts hold none (cut to the results seen).
     */
    private static Set<String> highlights(List<String> terms, List<Result> results) {
        Set<String> out = new TreeSet<>();
        for (Result result : results) {
            String text = EventSearchStore.searchableText(result.event().pdu()).orElse("");
            for (String word : text.split("[^\\p{L}\\p{N}\\p{Mn}]+")) {
                String lower = word.toLowerCase(java.util.Locale.ROOT);
                if (!word.isEmpty() && terms.stream().anyMatch(lower::startsWith)) {
                    out.add(word);
                }
            }
        }
        if (out.isEmpty()) {
            out.addAll(terms);
        }
        return out;
    }

    private static Map<GroupKey, Map<String, Group>> groups(
            List<GroupKey> keys, List<Result> results, Optional<SearchBatch> next) {
        Map<GroupKey, Map<String, Group>> out = new LinkedHashMap<>();
        for (GroupKey key : keys) {
            Map<String, List<EventId>> members = new LinkedHashMap<>();
            for (Result result : results) {
                String value = key == GroupKey.ROOM_ID
                        ? result.event().pdu().roomId().value()
                        : result.event().pdu().sender().toString();
                members.computeIfAbsent(value, v -> new ArrayList<>())
                        .add(result.event().eventId());
            }
            Map<String, Group> groups = new LinkedHashMap<>();
            int order = 1;
            for (var e : members.entrySet()) {
                groups.put(
                        e.getKey(),
                        new Group(List.copyOf(e.getValue()), order++, next.map(b -> b.inGroup(key, e.getKey()))));
            }
            out.put(key, groups);
        }
        return out;
    }
}
