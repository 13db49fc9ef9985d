package dev.myelin.server.api.client.account;

import dev.myelin.http.endpoint.EndpointSpec;
import dev.myelin.http.endpoint.JsonEndpoint;
import dev.myelin.http.endpoint.NoBody;
import dev.myelin.http.server.MatrixRequest;
import dev.myelin.server.handler.auth.UserInteractiveAuth;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * {@code GET /_matrix/client/v3/login}: the login types we accept.
 *
 * @see <a href="https://spec.matrix.org/v1.19/client-server-api/#get_matrixclientv3login">spec</a>
 */
public final class LoginFlowsEndpoint extends JsonEndpoint<NoBody, LoginFlowsEndpoint.Response> {
    /** The endpoint's definition, shared with clients. */
    public static final EndpointSpec<NoBody, Response> SPEC =
            EndpointSpec.get("/_matrix/client/v3/login", Response.class).noAuth();

    /** The login types. */
    public record Response(List<Flow> flows) {}

    /**
     * One login type; {@code getLoginToken} is set on {@code m.login.token} to say that a logged-in
     * client can make tokens for it.
     */
    public record Flow(String type, @Nullable Boolean getLoginToken) {}

    private static final Response FLOWS = new Response(List.of(
            new Flow(UserInteractiveAuth.PASSWORD, null),
            new Flow(LoginEndpoint.TOKEN, true),
            new Flow(RegisterEndpoint.APPLICATION_SERVICE, null)));

    public LoginFlowsEndpoint() {
        super(SPEC);
    }

    @Override
    protected Response handle(MatrixRequest request, NoBody body) {
        return FLOWS;
    }
}
