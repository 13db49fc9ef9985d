package dev.myelin.server.api.federation;

import dev.myelin.http.endpoint.EndpointSpec;
import dev.myelin.http.endpoint.JsonEndpoint;
import dev.myelin.http.endpoint.NoBody;
import dev.myelin.http.error.MatrixException;
import dev.myelin.http.server.MatrixRequest;
import dev.myelin.server.handler.openid.OpenIdTokens;

/**
 * {@code GET /_matrix/federation/v1/openid/userinfo?access_token=...}: whom an OpenID token
 * belongs to, {@code {"sub": "@user:server"}}, for the third party the client gave it to. No
 * server signature is needed. 401 {@code M_UNKNOWN_TOKEN} for absent, unknown or expired tokens.
 *
 * @see <a href="https://spec.matrix.org/v1.19/server-server-api/#get_matrixfederationv1openiduserinfo">spec</a>
 */
public final class OpenIdUserInfoEndpoint extends JsonEndpoint<NoBody, OpenIdUserInfoEndpoint.Response> {
    /** The endpoint's definition, shared with clients. */
    public static final EndpointSpec<NoBody, Response> SPEC = EndpointSpec.get(
                    "/_matrix/federation/v1/openid/userinfo", Response.class)
            .noAuth();

    /**
     * The owner of the token.
     *
     * @param sub the user id
     */
    public record Response(String sub) {}

    private final OpenIdTokens tokens;

    public OpenIdUserInfoEndpoint(OpenIdTokens tokens) {
        super(SPEC);
        this.tokens = tokens;
    }

    @Override
    protected Response handle(MatrixRequest request, NoBody body) {
        // the spec's one error here is 401 M_UNKNOWN_TOKEN: a third party that sent no token gets
        // the same answer as one whose token is not known
        String token = request.queryParam("access_token")
                .orElseThrow(() -> MatrixException.unknownToken("Access token required", false));
        return tokens.userFor(token)
                .map(user -> new Response(user.toString()))
                .orElseThrow(() -> MatrixException.unknownToken("Access Token unknown or expired", false));
    }
}
