package dev.myelin.federation.discovery;

/**
 * A server name could not be resolved to a destination: a DNS lookup failed (other than finding
 * no record), or an SRV record declared the service unavailable (a single record with target
 * {@code .}, RFC 2782). Failures the spec falls through on, such as a missing or invalid {@code
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
