package dev.myelin.federation.api;

import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * The body of {@code POST /get_missing_events/{roomId}}.
 *
 * @param earliestEvents the events the asking server has: the walk does not go past them (none
 *     when absent)
 * @param latestEvents the events whose missing predecessors are asked for (none when absent)
 * @param limit the most events wanted (10 when absent)
 * @param minDepth events below this depth are not wanted (0 when absent)
 * @see <a href="https://spec.matrix.org/v1.19/server-server-api/#post_matrixfederationv1get_missing_eventsroomid">spec</a>
 */
public record MissingEventsRequest(
        @Nullable List<String> earliestEvents,
        @Nullable List<String> latestEvents,
        @Nullable Long limit,
        @Nullable Long minDepth) {
    /**
     * Takes a missing list as empty: the spec requires both, but Synapse reads an absent one as
     * empty and servers send {@code {}}.
     */
    public MissingEventsRequest {
        earliestEvents = earliestEvents == null ? List.of() : List.copyOf(earliestEvents);
        latestEvents = latestEvents == null ? List.of() : List.copyOf(latestEvents);
    }

    /** A request with the default limit and minimum depth. */
    public MissingEventsRequest(List<String> earliestEvents, List<String> latestEvents) {
        this(earliestEvents, latestEvents, null, null);
    }
}
