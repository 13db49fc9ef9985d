package dev.myelin.federation.client;

import dev.myelin.core.id.ServerName;
import org.jspecify.annotations.Nullable;

/** A destination could not be resolved, or none of its targets could be reached or answered. */
public final class FederationUnreachableException extends RuntimeException {
    private final ServerName destination;

    /** Creates the exception; {@code reason} says what failed for each target tried. */
    public FederationUnreachableException(ServerName destination, String reason, @Nullable Throwable cause) {
        super(destination + " is unreachable: " + reason, cause);
        this.destination = destination;
    }

    /** The server that could not be reached. */
    public ServerName destination() {
        return destination;
    }
}
