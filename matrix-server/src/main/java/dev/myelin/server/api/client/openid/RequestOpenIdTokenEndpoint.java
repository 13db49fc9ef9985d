package dev.myelin.server.api.client.openid;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.myelin.core.id.ServerName;
import dev.myelin.core.id.UserId;
import dev.myelin.http.error.MatrixException;
import dev.myelin.http.server.Endpoint;
import dev.myelin.http.server.HttpMethod;
import dev.myelin.http.server.MatrixRequest;
import dev.myelin.http.server.MatrixResponse;
import dev.myelin.server.api.PathParams;
import dev.myelin.server.handler.openid.OpenIdTokens;

/**
 * {@code POST /_matrix/client/v3/user/{userId}/openid/request_token}: an OpenID token for oneself
 * ({@code access_token}, {@code token_type: Bearer}, {@code matrix_server_name},
 * {@code expires_in} seconds); 403 for another user.
 *
 * @see <a href="https://spec.matrix.org/v1.19/client-server-api/#post_matrixclientv3useruseridopenidrequest_token">spec</a>
 */
public final class RequestOpenIdTokenEndpoint implements Endpoint {
    private final OpenIdTokens tokens;
    private final ServerName serverName;

    public RequestOpenIdTokenEndpoint(OpenIdTokens tokens, ServerName serverName) {
        this.tokens = tokens;
        this.serverName = serverName;
    }

    @Override
    public HttpMethod method() {
        return HttpMethod.POST;
    }

    @Override
    public String path() {
        return "/_matrix/client/v3/user/{userId}/openid/request_token";
    }

    @Override
    public MatrixResponse handle(MatrixRequest request) {
        UserId requester = request.requireRequester().userId();
        if (!PathParams.userId(request).equals(requester)) {
            throw MatrixException.forbidden("Cannot request tokens for other users");
        }
        OpenIdTokens.Issued issued = tokens.issue(requester);
        return MatrixResponse.ok(JsonNodeFactory.instance.objectNode()
                .put("access_token", issued.token())
                .put("token_type", "Bearer")
                .put("matrix_server_name", serverName.toString())
                .put("expires_in", issued.expiresIn().toSeconds()));
    }
}
