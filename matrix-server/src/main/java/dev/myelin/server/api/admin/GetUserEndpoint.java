package dev.myelin.server.api.admin;

import dev.myelin.http.endpoint.EndpointSpec;
import dev.myelin.http.endpoint.JsonEndpoint;
import dev.myelin.http.endpoint.NoBody;
import dev.myelin.http.server.MatrixRequest;
import dev.myelin.server.handler.admin.AdminUsers;

/**
 * {@code GET /_synapse/admin/v2/users/{userId}}: one account's details for the server's admins, in
 * Synapse's shape ({@code name}, {@code admin}, {@code deactivated}, {@code displayname}, {@code
 * creation_ts}, ...); 404 {@code M_NOT_FOUND} for an unknown account.
 */
public final class GetUserEndpoint extends JsonEndpoint<NoBody, AdminUsers.Account> {
    /** The endpoint's definition, shared with clients. */
    public static final EndpointSpec<NoBody, AdminUsers.Account> SPEC =
            EndpointSpec.get("/_synapse/admin/v2/users/{userId}", AdminUsers.Account.class);

    private final AdminUsers admin;

    public GetUserEndpoint(AdminUsers admin) {
        super(SPEC);
        this.admin = admin;
    }

    @Override
    protected AdminUsers.Account handle(MatrixRequest request, NoBody body) {
        admin.requireAdmin(request.requireRequester());
        return admin.get(request.pathParam("userId"));
    }
}
