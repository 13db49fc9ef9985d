package dev.myelin.http.server;

/**
 * Turns an access token into the {@link Requester} it belongs to. The HTTP layer calls it for
 * every request whose endpoint's {@link AuthRequirement} is not {@code NONE} and a token is
 * present; the token comes from {@code Authorization: Bearer} or the deprecated
 * {@code access_token} query parameter.
 *
 * @see <a href="https://spec.matrix.org/v1.19/client-server-api/#using-access-tokens">Using access
 *     tokens</a>
 */
@FunctionalInterface
public interface Authenticator {

    /**
     * Finds whom an access token belongs to.
     *
     * @param accessToken the token from the {@code Authorization} header or the query string
     * @return the requester the token belongs to
     * @throws dev.myelin.http.error.MatrixException usually {@code M_UNKNOWN_TOKEN} (401), when the
     *     token is not valid
     */
    Requester authenticate(String accessToken);

    /**
     * As {@link #authenticate(String)}, with the request the token came on, for authenticators
     * that also note where a device was last seen (client IP, {@code User-Agent}). The HTTP layer
     * calls this one; the default ignores the request.
     */
    default Requester authenticate(String accessToken, MatrixRequest request) {
        return authenticate(accessToken);
    }

    /** An authenticator that recognises no token: every presented token is {@code M_UNKNOWN_TOKEN}. */
    static Authenticator rejectAll() {
        return token -> {
            throw dev.myelin.http.error.MatrixException.unknownToken("Unrecognised access token", false);
        };
    }
}
