package dev.myelin.server.handler.auth;

import dev.myelin.http.error.MatrixException;
import dev.myelin.http.server.Authenticator;
import dev.myelin.http.server.Requester;
import dev.myelin.storage.account.AccessTokenStore;
import dev.myelin.storage.account.TokenInfo;
import dev.myelin.storage.account.UserStore;
import java.util.Optional;

/**
 * Resolves access tokens through the token store. An expired token is reported with
 * {@code soft_logout: true} so clients refresh instead of logging the user out.
 *
 * @see <a href="https://spec.matrix.org/v1.19/client-server-api/#soft-logout">Soft logout</a>
 */
public final class TokenAuthenticator implements Authenticator {
    private final AccessTokenStore tokens;
    private final UserStore users;

    public TokenAuthenticator(AccessTokenStore tokens, UserStore users) {
        this.tokens = tokens;
        this.users = users;
    }

    @Override
    public Requester authenticate(String accessToken) {
        Optional<TokenInfo> info = tokens.lookup(accessToken);
        if (info.isEmpty()) {
            boolean expired = tokens.isExpired(accessToken);
            throw MatrixException.unknownToken(
                    expired ? "Access token has expired" : "Unrecognised access token", expired);
        }
        TokenInfo token = info.get();
        if (users.get(token.user()).map(u -> u.deactivated()).orElse(true)) {
            throw MatrixException.unknownToken("User account has been deactivated", false);
        }
        return token.device().map(device -> Requester.user(token.user(), device))
                .orElseGet(() -> Requester.withoutDevice(token.user()));
    }
}
