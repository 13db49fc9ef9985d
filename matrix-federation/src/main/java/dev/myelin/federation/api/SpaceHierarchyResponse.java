package dev.myelin.federation.api;

import dev.myelin.http.endpoint.EndpointJson;
import java.util.List;

/**
 * The answer of {@code GET /_matrix/federation/v1/hierarchy/{roomId}}: the space itself, those of
 * its children the asking server could peek or join, and those it could not.
 *
 * @param room the space, with its {@code children_state}
 * @param children the children the asking server may see
 * @param inaccessibleChildren the ids of children it may not, which it should not ask about again
 * @see <a href="https://spec.matrix.org/v1.19/server-server-api/#get_matrixfederationv1hierarchyroomid">spec</a>
 */
public record SpaceHierarchyResponse(
        SpaceRoomSummary room, List<SpaceRoomSummary> children, List<String> inaccessibleChildren) {

    /** Requires all three fields, so that an answer without them counts as malformed. */
    public SpaceHierarchyResponse {
        EndpointJson.required(room, "room");
        children = List.copyOf(EndpointJson.required(children, "children"));
        inaccessibleChildren = List.copyOf(EndpointJson.required(inaccessibleChildren, "inaccessible_children"));
    }
}
