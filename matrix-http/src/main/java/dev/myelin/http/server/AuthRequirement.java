package dev.myelin.http.server;

/**
 * Whether an {@link Endpoint} needs an access token, or the signature of another server.
 *
 * @see <a href="https://spec.matrix.org/v1.19/client-server-api/#client-authentication">Client
 *     authentication</a>
 */
public enum AuthRequirement {
    /** A valid access token is required: none gives 401 {@code M_MISSING_TOKEN}, a bad one 401 {@code M_UNKNOWN_TOKEN}. */
    REQUIRED,
    /** A token is used if given (and must then be valid); its absence is fine. */
    OPTIONAL,
    /** The token, if any, is ignored. */
    NONE,
    /**
     * The request must come from another homeserver, signed with X-Matrix: the
     * {@link ServerAuthenticator} checks it and names the origin, access tokens are not looked at.
     */
    SERVER
}
