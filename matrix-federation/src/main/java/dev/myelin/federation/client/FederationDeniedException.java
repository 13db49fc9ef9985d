package dev.myelin.federation.client;

import dev.myelin.core.id.ServerName;
import dev.myelin.http.error.ErrorCode;
import dev.myelin.http.error.MatrixException;

/**
 * Federation with a server outside the {@link FederationDomainWhitelist}: nothing is sent to it and
 * nothing it sends is accepted. {@link #toMatrixException()} is the 403 {@code M_FORBIDDEN} a
 * client or server gets, as Synapse answers it ({@code Federation denied with <server>.}).
 */
public final class FederationDeniedException extends RuntimeException {
    private final ServerName server;

    public FederationDeniedException(ServerName server) {
        super("Federation denied with " + server + ".");
        this.server = server;
    }

    /** The server not federated with. */
    public ServerName server() {
        return server;
    }

    /** The error answered to whoever asked for it. */
    public MatrixException toMatrixException() {
        return new MatrixException(403, ErrorCode.FORBIDDEN, getMessage());
    }
}
