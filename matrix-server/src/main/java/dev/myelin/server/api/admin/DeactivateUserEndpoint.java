package dev.myelin.server.api.admin;

import dev.myelin.core.id.InvalidIdentifierException;
import dev.myelin.core.id.UserId;
import dev.myelin.http.endpoint.EndpointSpec;
import dev.myelin.http.endpoint.JsonEndpoint;
import dev.myelin.http.error.MatrixException;
import dev.myelin.http.server.MatrixRequest;
import dev.myelin.server.handler.account.AccountLifecycle;
import dev.myelin.server.handler.admin.AdminUsers;
import org.jspecify.annotations.Nullable;

/**
 * {@code POST /_synapse/admin/v1/deactivate/{userId}}: a server admin deactivates an account of
 * this server as its owner would (devices and tokens gone, rooms left), with {@code erase} also
 * marking it erased; in Synapse's shape, which synadm's {@code user deactivate} sends. An account
 * already deactivated answers success again, as in Synapse.
 */
public final class DeactivateUserEndpoint
        extends JsonEndpoint<DeactivateUserEndpoint.Request, DeactivateUserEndpoint.Response> {
    /** The endpoint's definition, shared with clients. */
    public static final EndpointSpec<Request, Response> SPEC =
            EndpointSpec.post("/_synapse/admin/v1/deactivate/{userId}", Request.class, Response.class);

    /** Whether to erase the user's messages too (default false). */
    public record Request(@Nullable Boolean erase) {}

    /** Synapse's answer: no identity server is ever bound here. */
    public record Response(String idServerUnbindResult) {}

    private final AdminUsers admin;
    private final AccountLifecycle lifecycle;

    public DeactivateUserEndpoint(AdminUsers admin, AccountLifecycle lifecycle) {
        super(SPEC);
        this.admin = admin;
        this.lifecycle = lifecycle;
    }

    @Override
    protected Response handle(MatrixRequest request, Request body) {
        admin.requireAdmin(request.requireRequester());
        // the account must be one of this server's: 404 otherwise, as admin.get answers
        AdminUsers.Account account = admin.get(request.pathParam("userId"));
        if (account.deactivated() && !Boolean.TRUE.equals(body.erase())) {
            return new Response("success");
        }
        String name = account.name();
        UserId user;
        try {
            user = UserId.parse(name);
        } catch (InvalidIdentifierException e) {
            throw MatrixException.invalidParam("user_id", e.getMessage());
        }
        lifecycle.deactivate(user, Boolean.TRUE.equals(body.erase()));
        return new Response("success");
    }
}
