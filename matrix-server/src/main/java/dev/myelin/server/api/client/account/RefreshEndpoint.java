package dev.myelin.server.api.client.account;

import dev.myelin.core.time.Clock;
import dev.myelin.http.endpoint.EndpointJson;
import dev.myelin.http.endpoint.EndpointSpec;
import dev.myelin.http.endpoint.JsonEndpoint;
import dev.myelin.http.error.MatrixException;
import dev.myelin.http.server.MatrixRequest;
import dev.myelin.server.handler.account.AccountHandler;
import dev.myelin.storage.account.AccessTokenStore;
import dev.myelin.storage.account.IssuedTokens;
import org.jspecify.annotations.Nullable;

/**
 * {@code POST /_matrix/client/v3/refresh}: trades a refresh token for a new token pair.
 *
 * @see <a href="https://spec.matrix.org/v1.19/client-server-api/#post_matrixclientv3refresh">spec</a>
 */
public final class RefreshEndpoint extends JsonEndpoint<RefreshEndpoint.Request, RefreshEndpoint.Response> {
    /** The endpoint's definition, shared with clients. */
    public static final EndpointSpec<Request, Response> SPEC = EndpointSpec.post(
                    "/_matrix/client/v3/refresh", Request.class, Response.class)
            .noAuth();

    /** The refresh token to trade. */
    public record Request(String refreshToken) {
        public Request {
            EndpointJson.required(refreshToken, "refresh_token");
        }
    }

    /** The new access token, its lifetime, and the next refresh token. */
    public record Response(
            String accessToken,
            @Nullable String refreshToken,
            @Nullable Long expiresInMs) {}

    private final AccessTokenStore tokens;
    private final Clock clock;

    public RefreshEndpoint(AccessTokenStore tokens, Clock clock) {
        super(SPEC);
        this.tokens = tokens;
        this.clock = clock;
    }

    @Override
    protected Response handle(MatrixRequest request, Request body) {
        IssuedTokens issued = tokens.refresh(body.refreshToken(), AccountHandler.REFRESHABLE_TOKEN_LIFETIME)
                .orElseThrow(() -> MatrixException.unknownToken("Unknown or already used refresh token", false));
        return new Response(
                issued.accessToken(),
                issued.refreshToken().orElse(null),
                issued.validUntil()
                        .map(until -> Math.max(0, until.toEpochMilli() - clock.nowMillis()))
                        .orElse(null));
    }
}
