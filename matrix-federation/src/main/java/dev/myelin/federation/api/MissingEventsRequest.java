package dev.myelin.federation.api;

import dev.myelin.http.error.MatrixException;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * The body of {@code POST /get_missing_events/{roomId}}.
 *
 * @param earliestEvents the events the asking server has: the walk does not go past them
 * @param latestEvents the events whose missing predecessors are asked for
 * @param limit the most events wanted (10 when absent)
 * @param minDepth events below this depth are not wanted (0 when absent)
 * @see <a href="https://spec.matrix.org/v1.19/server-server-api/#post_matrixfederationv1get_missing_eventsroomid">spec</a>
 */
public record MissingEventsRequest(
        @Nullable List<String> earliestEvents,
        @Nullable List<String> latestEvents,
        @Nullable Long limit,
        @Nullable Long minDepth) {
    /** Requires both lists, as the spec does: 400 {@code M_MISSING_PARAM} otherwise. */
    public MissingEventsRequest {
        if (earliestEvents == null) {
            throw MatrixException.missingParam("earliest_events");
        }
        if (latestEvents == null) {
            throw MatrixException.missingParam("latest_events");
        }
        earliestEvents = List.copyOf(earliestEvents);
        latestEvents = List.copyOf(latestEvents);
    }

    /** A request with the default limit and minimum depth. */
    public MissingEventsRequest(List<String> earliestEvents, List<String> latestEvents) {
        this(earliestEvents, latestEvents, null, null);
    }
}
