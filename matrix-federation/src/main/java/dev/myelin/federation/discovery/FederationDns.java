package dev.myelin.federation.discovery;

import dev.myelin.http.client.HostResolver;
import java.util.List;

/**
 * The DNS seam of server discovery: SRV lookups for {@link ServerDiscovery}, and address lookups
 * (inherited from {@link HostResolver}) for the outbound client that connects to the targets, so
 * one implementation answers both and the IP blocklist sees exactly the addresses connected to.
 *
 * <p>Addresses returned by {@link #resolve} must carry the name they were looked up for ({@link
 * java.net.InetAddress#getByAddress(String, byte[])}), as the system resolver's do: the outbound
 * client's TLS layer takes the name to check the certificate against from them.
 *
 * <p>{@link #system()} asks the system's DNS servers. Tests implement this interface with a map
 * from names to loopback addresses and SRV records, so they never touch real DNS.
 */
public interface FederationDns extends HostResolver {

    /**
     * Looks up the SRV records of a name such as {@code _matrix-fed._tcp.example.org}.
     *
     * @param name the full record name
     * @return the records, in no particular order; empty if the name does not exist or has none
     * @throws ServerDiscoveryException if the lookup itself failed (no answer, server failure)
     */
    List<SrvRecord> srv(String name);

    /**
     * DNS that knows no name: every lookup fails as an unknown host would. For tests and embedded
     * servers that must never query real DNS; IP literals still work, as they need no lookup.
     */
    static FederationDns none() {
        return new FederationDns() {
            @Override
            public List<SrvRecord> srv(String name) {
                return List.of();
            }

            @Override
            public List<java.net.InetAddress> resolve(String host) throws java.net.UnknownHostException {
                throw new java.net.UnknownHostException(host + " (no DNS here)");
            }
        };
    }

    /**
     * The system's DNS: SRV records through the JDK's JNDI DNS provider ({@code jdk.naming.dns})
     * using the servers the operating system is configured with, and addresses through {@link
     * java.net.InetAddress}, with the JVM's address cache.
     */
    static FederationDns system() {
        return new JndiFederationDns(JndiFederationDns.SYSTEM_SERVERS, HostResolver.system());
    }
}
