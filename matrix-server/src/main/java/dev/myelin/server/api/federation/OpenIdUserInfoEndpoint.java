package dev.myelin.server.api.federation;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.myelin.http.error.MatrixException;
import dev.myelin.http.server.AuthRequirement;
import dev.myelin.http.server.Endpoint;
import dev.myelin.http.server.HttpMethod;
import dev.myelin.http.server.MatrixRequest;
import dev.myelin.http.server.MatrixResponse;
import dev.myelin.server.handler.openid.OpenIdTokens;

/**
 * {@code GET /_matrix/federation/v1/openid/userinfo?access_token=...}: whom an OpenID token
 * belongs to, {@code {"sub": "@user:server"}}, for the third party the client gave it to. No
 * server signature is needed. 401 {@code M_UNKNOWN_TOKEN} for unknown or expired tokens.
 *
 * @see <a href="https://spec.matrix.org/v1.19/server-server-api/#get_matrixfederationv1openiduserinfo">spec</a>
 */
public final class OpenIdUserInfoEndpoint implements Endpoint {
    private final OpenIdTokens tokens;

    public OpenIdUserInfoEndpoint(OpenIdTokens tokens) {
        this.tokens = tokens;
    }

    @Override
    public HttpMethod method() {
        return HttpMethod.GET;
    }

    @Override
    public String path() {
        return "/_matrix/federation/v1/openid/userinfo";
    }

    @Override
    public AuthRequirement auth() {
        return AuthRequirement.NONE;
    }

    @Override
    public MatrixResponse handle(MatrixRequest request) {
        String token = request.queryParam("access_token").orElseThrow(() -> MatrixException.missingParam("access_token"));
        return tokens.userFor(token)
                .map(user -> MatrixResponse.ok(JsonNodeFactory.instance.objectNode().put("sub", user.toString())))
                .orElseThrow(() -> MatrixException.unknownToken("Access Token unknown or expired", false));
    }
}
