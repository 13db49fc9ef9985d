package dev.myelin.server.api.client.account;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.myelin.core.time.Clock;
import dev.myelin.http.error.MatrixException;
import dev.myelin.http.server.AuthRequirement;
import dev.myelin.http.server.Endpoint;
import dev.myelin.http.server.HttpMethod;
import dev.myelin.http.server.MatrixRequest;
import dev.myelin.http.server.MatrixResponse;
import dev.myelin.server.api.JsonFields;
import dev.myelin.server.handler.account.AccountHandler;
import dev.myelin.storage.account.AccessTokenStore;
import dev.myelin.storage.account.IssuedTokens;

/**
 * {@code POST /_matrix/client/v3/refresh}: trades a refresh token for a new token pair.
 *
 * @see <a href="https://spec.matrix.org/v1.19/client-server-api/#post_matrixclientv3refresh">spec</a>
 */
public final class RefreshEndpoint implements Endpoint {
    private final AccessTokenStore tokens;
    private final Clock clock;

    public RefreshEndpoint(AccessTokenStore tokens, Clock clock) {
        this.tokens = tokens;
        this.clock = clock;
    }

    @Override
    public HttpMethod method() {
        return HttpMethod.POST;
    }

    @Override
    public String path() {
        return "/_matrix/client/v3/refresh";
    }

    @Override
    public AuthRequirement auth() {
        return AuthRequirement.NONE;
    }

    @Override
    public MatrixResponse handle(MatrixRequest request) {
        String refreshToken = JsonFields.requireString(request.jsonObject(), "refresh_token");
        IssuedTokens issued = tokens.refresh(refreshToken, AccountHandler.REFRESHABLE_TOKEN_LIFETIME)
                .orElseThrow(() -> MatrixException.unknownToken("Unknown or already used refresh token", false));
        ObjectNode body = JsonNodeFactory.instance.objectNode();
        body.put("access_token", issued.accessToken());
        issued.refreshToken().ifPresent(r -> body.put("refresh_token", r));
        issued.validUntil().ifPresent(until -> body.put("expires_in_ms",
                Math.max(0, until.toEpochMilli() - clock.nowMillis())));
        return MatrixResponse.ok(body);
    }
}
