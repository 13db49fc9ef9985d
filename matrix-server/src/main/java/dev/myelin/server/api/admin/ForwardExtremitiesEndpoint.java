package dev.myelin.server.api.admin;

import dev.myelin.http.endpoint.EndpointSpec;
import dev.myelin.http.endpoint.JsonEndpoint;
import dev.myelin.http.endpoint.NoBody;
import dev.myelin.http.server.MatrixRequest;
import dev.myelin.server.handler.admin.AdminForwardExtremities;
import dev.myelin.server.handler.admin.AdminUsers;
import dev.myelin.server.handler.room.MembershipHandler;
import dev.myelin.storage.room.ForwardExtremityStore;
import java.util.List;

/**
 * {@code GET /_synapse/admin/v1/rooms/{roomIdOrAlias}/forward_extremities}: a room's forward
 * extremities ({@code event_id}, {@code state_group}, {@code depth}, {@code received_ts}, newest
 * first) and their {@code count}, for the server's admins.
 */
public final class ForwardExtremitiesEndpoint extends JsonEndpoint<NoBody, ForwardExtremitiesEndpoint.Response> {
    /** The endpoint's definition, shared with clients. */
    public static final EndpointSpec<NoBody, Response> SPEC =
            EndpointSpec.get("/_synapse/admin/v1/rooms/{roomIdOrAlias}/forward_extremities", Response.class);

    /** The extremities and how many there are. */
    public record Response(int count, List<ForwardExtremityStore.Extremity> results) {}

    private final AdminUsers admins;
    private final MembershipHandler membership;
    private final AdminForwardExtremities extremities;

    public ForwardExtremitiesEndpoint(
            AdminUsers admins, MembershipHandler membership, AdminForwardExtremities extremities) {
        super(SPEC);
        this.admins = admins;
        this.membership = membership;
        this.extremities = extremities;
    }

    @Override
    protected Response handle(MatrixRequest request, NoBody body) {
        admins.requireAdmin(request.requireRequester());
        var found = extremities.list(membership.resolve(request.pathParam("roomIdOrAlias")));
        return new Response(found.size(), found);
    }
}
