package dev.myelin.federation.api;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;

/**
 * The answer of {@code GET /event_auth/{roomId}/{eventId}}.
 *
 * @param authChain the event's auth events and theirs, recursively
 * @see <a href="https://spec.matrix.org/v1.19/server-server-api/#get_matrixfederationv1event_authroomideventid">spec</a>
 */
public record EventAuthResponse(List<ObjectNode> authChain) {
    public EventAuthResponse {
        authChain = List.copyOf(authChain);
    }
}
