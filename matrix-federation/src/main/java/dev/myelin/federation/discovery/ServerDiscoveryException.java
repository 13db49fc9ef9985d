package dev.myelin.federation.discovery;

/**
 * A server name could not be resolved to a destination: its port is outside 1 to 65535 or its
 * IPv6 literal is not an address (the server name grammar allows both), a DNS lookup failed (other
 * than finding no record), or the SRV records declared the service unavailable (a single record
 * with target {@code .}, RFC 2782). Failures the spec falls through on, such as a missing or invalid {@code
 * .well-known}, never raise this.
 */
public class ServerDiscoveryException extends RuntimeException {

    /**
     * Creates the exception.
     *
     * @param message what could not be resolved and why
     * @param cause the underlying failure, or null
     */
    public ServerDiscoveryException(String message, Throwable cause) {
        super(message, cause);
    }
}
