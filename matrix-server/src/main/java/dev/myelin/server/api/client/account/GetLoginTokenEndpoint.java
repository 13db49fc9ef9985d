package dev.myelin.server.api.client.account;

import dev.myelin.http.endpoint.EndpointSpec;
import dev.myelin.http.endpoint.JsonEndpoint;
import dev.myelin.http.server.MatrixRequest;
import dev.myelin.http.server.Requester;
import dev.myelin.server.handler.auth.AuthenticationData;
import dev.myelin.server.handler.auth.LoginTokens;
import dev.myelin.server.handler.auth.UserInteractiveAuth;
import java.util.List;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * {@code POST /_matrix/client/v1/login/get_token}: after user-interactive auth with the account's
 * password, which the spec wants asked every time, a single-use token with which another client
 * logs in as the same user ({@code m.login.token}). Application services and their users cannot
 * use it: they have no password to confirm.
 *
 * @see <a href="https://spec.matrix.org/v1.19/client-server-api/#post_matrixclientv1loginget_token">spec</a>
 */
public final class GetLoginTokenEndpoint
        extends JsonEndpoint<GetLoginTokenEndpoint.Request, GetLoginTokenEndpoint.Response> {
    /** The endpoint's definition, shared with clients. */
    public static final EndpointSpec<Request, Response> SPEC =
            EndpointSpec.post("/_matrix/client/v1/login/get_token", Request.class, Response.class);

    private static final List<List<String>> FLOWS = List.of(List.of(UserInteractiveAuth.PASSWORD));

    /** The user-interactive auth. */
    public record Request(@Nullable AuthenticationData auth) {}

    /** The token and how long it stays valid. */
    public record Response(String loginToken, long expiresInMs) {}

    private final LoginTokens tokens;
    private final UserInteractiveAuth uia;

    public GetLoginTokenEndpoint(LoginTokens tokens, UserInteractiveAuth uia) {
        super(SPEC);
        this.tokens = tokens;
        this.uia = uia;
    }

    @Override
    protected Response handle(MatrixRequest request, Request body) {
        Requester requester = request.requireRequester();
        uia.authorise(request, body, body.auth(), FLOWS, Optional.of(requester.userId()));
        return new Response(tokens.issue(requester.userId()), LoginTokens.LIFETIME.toMillis());
    }
}
