package dev.myelin.server.api.admin;

import dev.myelin.http.endpoint.EndpointSpec;
import dev.myelin.http.endpoint.JsonEndpoint;
import dev.myelin.http.endpoint.NoBody;
import dev.myelin.http.server.MatrixRequest;
import dev.myelin.server.handler.admin.AdminForwardExtremities;
import dev.myelin.server.handler.admin.AdminUsers;
import dev.myelin.server.handler.room.MembershipHandler;

/**
 * {@code DELETE /_synapse/admin/v1/rooms/{roomIdOrAlias}/forward_extremities}: keeps only a room's
 * newest forward extremity and answers how many were {@code deleted}.
 */
public final class DeleteForwardExtremitiesEndpoint
        extends JsonEndpoint<NoBody, DeleteForwardExtremitiesEndpoint.Response> {
    /** The endpoint's definition, shared with clients. */
    public static final EndpointSpec<NoBody, Response> SPEC =
            EndpointSpec.delete("/_synapse/admin/v1/rooms/{roomIdOrAlias}/forward_extremities", Response.class);

    /** How many extremities were deleted. */
    public record Response(int deleted) {}

    private final AdminUsers admins;
    private final MembershipHandler membership;
    private final AdminForwardExtremities extremities;

    public DeleteForwardExtremitiesEndpoint(
            AdminUsers admins, MembershipHandler membership, AdminForwardExtremities extremities) {
        super(SPEC);
        this.admins = admins;
        this.membership = membership;
        this.extremities = extremities;
    }

    @Override
    protected Response handle(MatrixRequest request, NoBody body) {
        admins.requireAdmin(request.requireRequester());
        return new Response(extremities.trim(membership.resolve(request.pathParam("roomIdOrAlias"))));
    }
}
