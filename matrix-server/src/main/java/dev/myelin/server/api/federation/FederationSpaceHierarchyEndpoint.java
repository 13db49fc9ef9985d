package dev.myelin.server.api.federation;

import dev.myelin.federation.api.FederationEndpoints;
import dev.myelin.federation.api.SpaceHierarchyResponse;
import dev.myelin.http.endpoint.EndpointSpec;
import dev.myelin.http.endpoint.JsonEndpoint;
import dev.myelin.http.endpoint.NoBody;
import dev.myelin.http.server.MatrixRequest;
import dev.myelin.server.api.QueryParams;
import dev.myelin.server.handler.space.HierarchyForServers;

/**
 * {@code GET /_matrix/federation/v1/hierarchy/{roomId}?suggested_only=}: a space and its children
 * as the asking server may see them ({@link HierarchyForServers}).
 *
 * @see <a href="https://spec.matrix.org/v1.19/server-server-api/#get_matrixfederationv1hierarchyroomid">spec</a>
 */
public final class FederationSpaceHierarchyEndpoint extends JsonEndpoint<NoBody, SpaceHierarchyResponse> {
    /** The endpoint's definition, shared with the federation client. */
    public static final EndpointSpec<NoBody, SpaceHierarchyResponse> SPEC = FederationEndpoints.SPACE_HIERARCHY;

    private final HierarchyForServers hierarchy;

    public FederationSpaceHierarchyEndpoint(HierarchyForServers hierarchy) {
        super(SPEC);
        this.hierarchy = hierarchy;
    }

    @Override
    protected SpaceHierarchyResponse handle(MatrixRequest request, NoBody body) {
        return hierarchy.hierarchy(
                request.requireOrigin(),
                request.pathParam("roomId"),
                QueryParams.bool(request, "suggested_only").orElse(false));
    }
}
