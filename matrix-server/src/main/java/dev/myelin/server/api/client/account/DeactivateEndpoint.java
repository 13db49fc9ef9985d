package dev.myelin.server.api.client.account;

import dev.myelin.http.endpoint.EndpointSpec;
import dev.myelin.http.endpoint.JsonEndpoint;
import dev.myelin.http.server.MatrixRequest;
import dev.myelin.http.server.Requester;
import dev.myelin.server.handler.account.AccountLifecycle;
import dev.myelin.server.handler.auth.AuthenticationData;
import dev.myelin.server.handler.auth.UserInteractiveAuth;
import java.util.List;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * {@code POST /_matrix/client/v3/account/deactivate}: deactivates the current user's account
 * after user-interactive auth with its password; an application service deactivates one of its
 * users ({@code user_id}) without it, as in Synapse. Accounts here have no third-party ids, so
 * {@code id_server_unbind_result} is always {@code success}. With {@code erase: true} the user's
 * events are from then on served redacted to users who were not joined when they were sent.
 *
 * @see <a href="https://spec.matrix.org/v1.19/client-server-api/#post_matrixclientv3accountdeactivate">spec</a>
 */
public final class DeactivateEndpoint extends JsonEndpoint<DeactivateEndpoint.Request, DeactivateEndpoint.Response> {
    /** The endpoint's definition, shared with clients. */
    public static final EndpointSpec<Request, Response> SPEC =
            EndpointSpec.post("/_matrix/client/v3/account/deactivate", Request.class, Response.class);

    private static final List<List<String>> FLOWS = List.of(List.of(UserInteractiveAuth.PASSWORD));

    /** Whether to erase the account's data, which identity server to unbind from, and the auth. */
    public record Request(
            @Nullable Boolean erase,
            @Nullable String idServer,
            @Nullable AuthenticationData auth) {}

    /** Whether third-party ids were unbound from the identity server. */
    public record Response(String idServerUnbindResult) {}

    private final AccountLifecycle accounts;
    private final UserInteractiveAuth uia;

    public DeactivateEndpoint(AccountLifecycle accounts, UserInteractiveAuth uia) {
        super(SPEC);
        this.accounts = accounts;
        this.uia = uia;
    }

    @Override
    protected Response handle(MatrixRequest request, Request body) {
        Requester requester = request.requireRequester();
        // an application service's token is its authority over its users: no password to ask for
        if (!requester.isAppService()) {
            uia.authorise(request, body, body.auth(), FLOWS, Optional.of(requester.userId()));
        }
        accounts.deactivate(requester.userId(), Boolean.TRUE.equals(body.erase()));
        return new Response("success");
    }
}
