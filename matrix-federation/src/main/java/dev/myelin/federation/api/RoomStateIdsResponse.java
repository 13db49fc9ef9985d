package dev.myelin.federation.api;

import java.util.List;

/**
 * The answer of {@code GET /state_ids/{roomId}}: {@link RoomStateResponse} as event ids.
 *
 * @param authChainIds the ids of the auth chain of the state events
 * @param pduIds the ids of the state events
 * @see <a href="https://spec.matrix.org/v1.19/server-server-api/#get_matrixfederationv1state_idsroomid">spec</a>
 */
public record RoomStateIdsResponse(List<String> authChainIds, List<String> pduIds) {
    public RoomStateIdsResponse {
        authChainIds = List.copyOf(authChainIds);
        pduIds = List.copyOf(pduIds);
    }
}
