package dev.myelin.server.api.client.openid;

import dev.myelin.core.id.ServerName;
import dev.myelin.core.id.UserId;
import dev.myelin.http.endpoint.EndpointSpec;
import dev.myelin.http.endpoint.JsonEndpoint;
import dev.myelin.http.endpoint.NoBody;
import dev.myelin.http.error.MatrixException;
import dev.myelin.http.server.MatrixRequest;
import dev.myelin.server.api.PathParams;
import dev.myelin.server.handler.openid.OpenIdTokens;

/**
 * {@code POST /_matrix/client/v3/user/{userId}/openid/request_token}: an OpenID token for oneself
 * ({@code access_token}, {@code token_type: Bearer}, {@code matrix_server_name},
 * {@code expires_in} seconds); 403 for another user. The spec's body is {@code {}}; it is not read,
 * so clients that send nothing are served too.
 *
 * @see <a href="https://spec.matrix.org/v1.19/client-server-api/#post_matrixclientv3useruseridopenidrequest_token">spec</a>
 */
public final class RequestOpenIdTokenEndpoint extends JsonEndpoint<NoBody, RequestOpenIdTokenEndpoint.Response> {
    /** The endpoint's definition, shared with clients. */
    public static final EndpointSpec<NoBody, Response> SPEC =
            EndpointSpec.post("/_matrix/client/v3/user/{userId}/openid/request_token", NoBody.class, Response.class);

    /**
     * The token a third party passes to {@code /_matrix/federation/v1/openid/userinfo}.
     *
     * @param expiresIn seconds until the token expires
     */
    public record Response(String accessToken, String tokenType, String matrixServerName, long expiresIn) {}

    private final OpenIdTokens tokens;
    private final ServerName serverName;

    public RequestOpenIdTokenEndpoint(OpenIdTokens tokens, ServerName serverName) {
        super(SPEC);
        this.tokens = tokens;
        this.serverName = serverName;
    }

    @Override
    protected Response handle(MatrixRequest request, NoBody body) {
        UserId requester = request.requireRequester().userId();
        if (!PathParams.userId(request).equals(requester)) {
            throw MatrixException.forbidden("Cannot request tokens for other users");
        }
        OpenIdTokens.Issued issued = tokens.issue(requester);
        return new Response(
                issued.token(),
                "Bearer",
                serverName.toString(),
                issued.expiresIn().toSeconds());
    }
}
