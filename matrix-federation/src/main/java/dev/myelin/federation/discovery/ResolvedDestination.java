package dev.myelin.federation.discovery;

import dev.myelin.core.id.ServerName;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Where and how to send federation requests for one server name: the result of {@link
 * ServerNameResolver#resolve}.
 *
 * <p>{@link #targets()} are host names or IP literals with ports, in the order to try them (SRV
 * priority and weight order; a single target otherwise). Host names in them are not resolved here:
 * the outbound client resolves them at connection time through its {@link
 * dev.myelin.http.client.HostResolver}, where the IP blocklist applies, so a name cannot be
 * checked against one set of addresses and connected to another. The TLS side is independent of
 * the target: the certificate is checked against {@link #certificateName()}, which for SRV records
 * is the server's (or delegated server's) host name, never the SRV target.
 *
 * @param serverName the server name that was resolved
 * @param step the spec step that produced this destination
 * @param delegatedTo the {@code m.server} of the server's {@code .well-known}, when one was used
 * @param targets where to connect, in order; at least one
 * @param hostHeader the {@code Host} header to send
 * @param certificateName the DNS name or IP address (IPv6 without brackets) the server's
 *     certificate must be valid for
 */
public record ResolvedDestination(
        ServerName serverName,
        DiscoveryStep step,
        Optional<ServerName> delegatedTo,
        List<Target> targets,
        String hostHeader,
        String certificateName) {

    /** The default federation port, used when neither a port nor an SRV record gives one. */
    public static final int DEFAULT_PORT = 8448;

    /** Requires every part and at least one target. */
    public ResolvedDestination {
        Objects.requireNonNull(serverName, "serverName");
        Objects.requireNonNull(step, "step");
        Objects.requireNonNull(delegatedTo, "delegatedTo");
        targets = List.copyOf(targets);
        Objects.requireNonNull(hostHeader, "hostHeader");
        Objects.requireNonNull(certificateName, "certificateName");
        if (targets.isEmpty()) {
            throw new IllegalArgumentException("a destination needs at least one target");
        }
    }

    /**
     * The name to send in TLS SNI: the certificate name, or empty when the certificate is expected
     * to be for an IP address, for which the spec says SNI is not sent.
     */
    public Optional<String> sniHostName() {
        return isIpAddress(certificateName) ? Optional.empty() : Optional.of(certificateName);
    }

    /** The first target, the one to try first. */
    public Target first() {
        return targets.getFirst();
    }

    static boolean isIpAddress(String host) {
        return host.contains(":") || ServerName.isValid(host) && new ServerName(host).isIpLiteral();
    }

    /**
     * One place to connect to.
     *
     * @param host a DNS name, an IPv4 literal, or an IPv6 literal without brackets
     * @param port the TCP port
     */
    public record Target(String host, int port) {
        /** Requires a host and a port from 1 to 65535. */
        public Target {
            Objects.requireNonNull(host, "host");
            if (host.isEmpty()) {
                throw new IllegalArgumentException("empty host");
            }
            if (port < 1 || port > 65535) {
                throw new IllegalArgumentException("port out of range: " + port);
            }
        }

        /** {@code host:port}, with an IPv6 literal in brackets: what goes into a URI's authority. */
        public String authority() {
            return (host.contains(":") ? "[" + host + "]" : host) + ":" + port;
        }
    }
}
