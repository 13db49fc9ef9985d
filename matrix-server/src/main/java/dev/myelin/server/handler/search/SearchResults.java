package dev.myelin.server.handler.search;

import dev.myelin.core.id.EventId;
import dev.myelin.core.id.RoomId;
import dev.myelin.server.handler.search.SearchRequest.GroupKey;
import dev.myelin.storage.event.RoomPosition;
import dev.myelin.storage.event.StoredEvent;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * What a search of room events found, in the order asked for.
 *
 * @param count how many events match, before history visibility is applied (an approximation, as
 *     the spec allows)
 * @param results this batch of results
 * @param highlights the words in the results that matched, for clients to highlight
 * @param next where the next batch starts, when there may be more
 * @param state the current state of the results' rooms, when asked for
 * @param groups per grouping asked for, per group value, the group's results
 */
public record SearchResults(
        long count,
        List<Result> results,
        Set<String> highlights,
        Optional<SearchBatch> next,
        Map<RoomId, List<StoredEvent>> state,
        Map<GroupKey, Map<String, Group>> groups) {

    /** One result: the event, its rank, and its context when asked for. */
    public record Result(StoredEvent event, double rank, Optional<Context> context) {}

    /**
     * The events around a result, the positions to paginate on from either side, and the profiles
     * of the senders of these events as the room's state at the result gives them.
     */
    public record Context(
            List<StoredEvent> before,
            List<StoredEvent> after,
            RoomPosition start,
            RoomPosition end,
            Map<String, Profile> profiles) {}

    /** A sender's display name and avatar, as far as their member event sets them. */
    public record Profile(Optional<String> displayName, Optional<String> avatarUrl) {}

    /**
     * One group of results.
     *
     * @param order the group's place among the groups (1 for the group of the first result)
     * @param next where the group's next batch starts, when there may be more
     */
    public record Group(List<EventId> results, int order, Optional<SearchBatch> next) {}
}
