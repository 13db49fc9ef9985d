package dev.myelin.federation.api;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;

/**
 * The answer of {@code POST /get_missing_events/{roomId}}.
 *
 * @param events the missing events, oldest first
 */
public record MissingEventsResponse(List<ObjectNode> events) {
    public MissingEventsResponse {
        events = List.copyOf(events);
    }
}
