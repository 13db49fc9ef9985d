package dev.myelin.http.server;

import dev.myelin.core.id.ServerName;
import dev.myelin.http.error.ErrorCode;
import dev.myelin.http.error.MatrixException;

/**
 * Checks that a request to an endpoint with {@link AuthRequirement#SERVER} was signed by another
 * homeserver (the {@code X-Matrix} authorization scheme) and names that server. The HTTP layer
 * calls it before the endpoint, with the body still readable.
 *
 * @see <a href="https://spec.matrix.org/v1.19/server-server-api/#request-authentication">Request
 *     Authentication</a>
 */
@FunctionalInterface
public interface ServerAuthenticator {

    /**
     * The server that signed {@code request}.
     *
     * @throws MatrixException 401 {@code M_UNAUTHORIZED} naming what is wrong with the signature
     */
    ServerName authenticate(MatrixRequest request);

    /** An authenticator for a server that takes no requests from other servers. */
    static ServerAuthenticator rejectAll() {
        return request -> {
            throw new MatrixException(401, ErrorCode.UNAUTHORIZED, "This server does not accept federation requests");
        };
    }
}
