package dev.myelin.http.client;

/**
 * The destination resolved to an address the {@link IpBlocklist} refuses, either directly or
 * after a redirect. No connection was attempted.
 */
public final class BlockedDestinationException extends OutboundHttpException {

    private final String host;

    /**
     * Creates the exception.
     *
     * @param host the host that was asked for
     * @param address the blocked address it resolved to
     */
    public BlockedDestinationException(String host, String address) {
        super("Refusing to connect to " + host + ": address " + address + " is blocked", null);
        this.host = host;
    }

    /** The host name or literal that was refused. */
    public String host() {
        return host;
    }
}
