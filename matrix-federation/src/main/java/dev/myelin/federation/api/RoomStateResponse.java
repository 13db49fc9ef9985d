package dev.myelin.federation.api;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;

/**
 * The answer of {@code GET /state/{roomId}}: the room's state before an event, and its auth chain.
 *
 * @param authChain the auth events of the state events, recursively
 * @param pdus the state events
 * @see <a href="https://spec.matrix.org/v1.19/server-server-api/#get_matrixfederationv1stateroomid">spec</a>
 */
public record RoomStateResponse(List<ObjectNode> authChain, List<ObjectNode> pdus) {
    public RoomStateResponse {
        authChain = List.copyOf(authChain);
        pdus = List.copyOf(pdus);
    }
}
