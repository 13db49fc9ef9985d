package dev.myelin.http.client;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Arrays;
import java.util.List;

/**
 * Resolves a host name to addresses: the DNS seam of the outbound client. The
 * {@link IpBlocklist} is applied to whatever this returns, so a test can point any name at any
 * address and see the blocklist act on it.
 */
@FunctionalInterface
public interface HostResolver {

    /**
     * Resolves a host name to its addresses.
     *
     * @param host a host name (never an IP literal: those are not resolved)
     * @return the host's addresses, at least one
     * @throws UnknownHostException if the name does not resolve
     */
    List<InetAddress> resolve(String host) throws UnknownHostException;

    /** The JVM's resolver ({@link InetAddress#getAllByName}). */
    static HostResolver system() {
        return host -> Arrays.asList(InetAddress.getAllByName(host));
    }
}
