package dev.myelin.server.handler.search;

import dev.myelin.server.handler.filter.RoomEventFilter;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * A search of room events: the {@code room_events} criteria of {@code POST /search} and the
 * {@code next_batch} it continues from.
 *
 * @param searchTerm what to look for, as the user typed it
 * @param keys the keys searched ({@code content.body}, {@code content.name}, {@code content.topic})
 * @param filter the rooms, senders, types and limit
 * @param order most relevant or most recent first
 * @param context how much context to return around each result, if any
 * @param includeState whether the current state of the results' rooms is returned
 * @param groupBy the groupings asked for
 * @param batch where to continue, from an earlier response's {@code next_batch}
 * @see <a href="https://spec.matrix.org/v1.19/client-server-api/#post_matrixclientv3search">POST /search</a>
 */
public record SearchRequest(
        String searchTerm,
        Set<String> keys,
        RoomEventFilter filter,
        Order order,
        Optional<ContextRequest> context,
        boolean includeState,
        List<GroupKey> groupBy,
        Optional<SearchBatch> batch) {

    /** The orders of results the spec defines. */
    public enum Order {
        RANK("rank"),
        RECENT("recent");

        private final String value;

        Order(String value) {
            this.value = value;
        }

        public String value() {
            return value;
        }
    }

    /** The keys results can be grouped by. */
    public enum GroupKey {
        ROOM_ID("room_id"),
        SENDER("sender");

        private final String value;

        GroupKey(String value) {
            this.value = value;
        }

        public String value() {
            return value;
        }
    }

    /**
     * The {@code event_context} of a search: events before and after each result, and optionally the
     * profiles of their senders.
     */
    public record ContextRequest(int beforeLimit, int afterLimit, boolean includeProfile) {}
}
