package dev.myelin.federation.discovery;

import dev.myelin.core.id.ServerName;
import dev.myelin.core.time.Clock;
import dev.myelin.federation.discovery.ResolvedDestination.Target;
import dev.myelin.http.client.HttpTransport;
import dev.myelin.http.client.MatrixHttpClient;
import dev.myelin.http.client.OutboundConfig;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The spec's server name resolution, every step in order:
 *
 * <ol>
 *   <li>an IP literal is used as is, with its port or 8448;
 *   <li>a host name with an explicit port is used with that port;
 *   <li>otherwise {@code https://<hostname>/.well-known/matrix/server} is fetched; a valid {@code
 *       m.server} is then resolved the same way (IP literal, explicit port), else through its SRV
 *       records ({@code _matrix-fed._tcp}, then the deprecated {@code _matrix._tcp}), else on
 *       port 8448;
 *   <li>without a usable {@code .well-known}, the host name's {@code _matrix-fed._tcp} SRV records,
 *   <li>then its deprecated {@code _matrix._tcp} ones,
 *   <li>then the host name on port 8448.
 * </ol>
 *
 * <p>Each step fixes the {@code Host} header and the name the certificate must be valid for, as
 * {@link ResolvedDestination} carries them: the server name (with its port) for steps 1 and 2,
 * the delegated name (with its port) for steps 3.1 and 3.2, the delegated host name for 3.3 to
 * 3.5, and the host name for 4 to 6. SRV targets are where to connect, never the certificate
 * name: DNS is not trusted to delegate, TLS proves the target speaks for the name.
 *
 * <p>{@code .well-known} answers, valid or not, are cached as the spec recommends: for the
 * response's {@code Cache-Control: max-age} or {@code Expires}, between 5 minutes and 48 hours,
 * 24 hours without those headers, and 1 hour for a failure (2 minutes when the host served a
 * valid answer recently). The fetch goes through the {@link HttpTransport} given, which in
 * production is a {@link MatrixHttpClient} from {@link #wellKnownClient}, so the IP blocklist
 * applies and at most 50 KiB are read. Redirects are followed one request at a time, at most
 * {@value #MAX_REDIRECTS} of them, only to {@code https} URLs; a redirect back to a URL already
 * visited ends the fetch as a failure. SRV answers, with or
 * without records, are kept 10 minutes: the JDK's DNS client does not tell their TTL.
 *
 * <p>Blocking and thread-safe; call it from virtual threads.
 *
 * @see <a href="https://spec.matrix.org/v1.19/server-server-api/#resolving-server-names">Resolving
 *     server names</a>
 */
public final class ServerDiscovery implements ServerNameResolver {

    /** Redirects the {@code .well-known} fetch follows before giving up. */
    public static final int MAX_REDIRECTS = 5;

    private static final String SRV_PREFIX = "_matrix-fed._tcp.";
    private static final String LEGACY_SRV_PREFIX = "_matrix._tcp.";

    private final SrvCache srv;
    private final WellKnownResolver wellKnown;

    /**
     * Creates the resolver.
     *
     * @param wellKnownTransport sends the {@code .well-known} requests; in production a client
     *     from {@link #wellKnownClient}, so the IP blocklist, redirect bound and size limit apply
     * @param dns answers SRV lookups
     * @param clock measures the cache periods
     */
    public ServerDiscovery(HttpTransport wellKnownTransport, FederationDns dns, Clock clock) {
        this.srv = new SrvCache(Objects.requireNonNull(dns, "dns"), Objects.requireNonNull(clock, "clock"));
        this.wellKnown = new WellKnownResolver(
                Objects.requireNonNull(wellKnownTransport, "wellKnownTransport"),
                Objects.requireNonNull(clock, "clock"));
    }

    /**
     * A client for {@code .well-known} fetches: the federation client's settings (timeouts, IP
     * blocklist, proxy, trusted CAs), resolving names through {@code dns}, reading at most 50 KiB
     * and leaving redirects to the resolver, which checks each hop. The caller closes it.
     *
     * @param federation the outbound settings federation requests use
     * @param dns the resolver for host names
     * @return the client
     */
    public static MatrixHttpClient wellKnownClient(OutboundConfig federation, FederationDns dns) {
        OutboundConfig config = new OutboundConfig(
                federation.connectTimeout(),
                federation.requestTimeout(),
                federation.idleTimeout(),
                federation.maxRequestBytes(),
                WellKnownResolver.MAX_BYTES,
                false,
                0,
                federation.blocklist(),
                federation.proxy(),
                federation.userAgent(),
                federation.instances(),
                federation.trust());
        return MatrixHttpClient.create(config, dns);
    }

    @Override
    public ResolvedDestination resolve(ServerName serverName) {
        Objects.requireNonNull(serverName, "serverName");
        unusable(serverName).ifPresent(reason -> {
            throw new ServerDiscoveryException("cannot reach " + serverName + ": " + reason, null);
        });
        if (serverName.isIpLiteral()) {
            return ipLiteral(serverName, serverName, Optional.empty(), DiscoveryStep.IP_LITERAL);
        }
        if (serverName.port().isPresent()) {
            return explicitPort(serverName, serverName, Optional.empty(), DiscoveryStep.EXPLICIT_PORT);
        }
        Optional<ServerName> delegated = wellKnown.delegation(serverName.host());
        if (delegated.isPresent()) {
            ServerName to = delegated.get();
            if (to.isIpLiteral()) {
                return ipLiteral(serverName, to, delegated, DiscoveryStep.DELEGATED_IP_LITERAL);
            }
            if (to.port().isPresent()) {
                return explicitPort(serverName, to, delegated, DiscoveryStep.DELEGATED_EXPLICIT_PORT);
            }
            return srvOrDefaultPort(
                    serverName,
                    to.host(),
                    delegated,
                    DiscoveryStep.DELEGATED_SRV,
                    DiscoveryStep.DELEGATED_LEGACY_SRV,
                    DiscoveryStep.DELEGATED_DEFAULT_PORT);
        }
        return srvOrDefaultPort(
                serverName,
                serverName.host(),
                Optional.empty(),
                DiscoveryStep.SRV,
                DiscoveryStep.LEGACY_SRV,
                DiscoveryStep.DEFAULT_PORT);
    }

    /** Steps 1 and 3.1: the literal and its port; Host is the name as written, the certificate names the address. */
    private static ResolvedDestination ipLiteral(
            ServerName serverName, ServerName literal, Optional<ServerName> delegatedTo, DiscoveryStep step) {
        String address = unbracketed(literal.host());
        return new ResolvedDestination(
                serverName,
                step,
                delegatedTo,
                List.of(new Target(address, literal.port().orElse(ResolvedDestination.DEFAULT_PORT))),
                literal.value(),
                address);
    }

    /** Steps 2 and 3.2: Host is {@code host:port}, the certificate names the host. */
    private static ResolvedDestination explicitPort(
            ServerName serverName, ServerName name, Optional<ServerName> delegatedTo, DiscoveryStep step) {
        return new ResolvedDestination(
                serverName,
                step,
                delegatedTo,
                List.of(new Target(name.host(), name.port().orElseThrow())),
                name.value(),
                name.host());
    }

    /** Steps 3.3 to 3.5 and 4 to 6: Host and certificate are the host name, whatever SRV says. */
    private ResolvedDestination srvOrDefaultPort(
            ServerName serverName,
            String host,
            Optional<ServerName> delegatedTo,
            DiscoveryStep srvStep,
            DiscoveryStep legacySrvStep,
            DiscoveryStep defaultStep) {
        DiscoveryStep step = srvStep;
        List<SrvRecord> records = srv.srv(SRV_PREFIX + host);
        if (records.isEmpty()) {
            step = legacySrvStep;
            records = srv.srv(LEGACY_SRV_PREFIX + host);
        }
        List<Target> targets;
        if (records.isEmpty()) {
            step = defaultStep;
            targets = List.of(new Target(host, ResolvedDestination.DEFAULT_PORT));
        } else {
            targets = SrvOrder.order(records, ThreadLocalRandom.current()).stream()
                    .filter(r -> !r.isServiceUnavailable() && r.port() > 0)
                    .map(r -> new Target(r.target(), r.port()))
                    .toList();
            if (targets.isEmpty()) {
                throw new ServerDiscoveryException(
                        "the SRV records of " + host + " say federation is not available there", null);
            }
        }
        return new ResolvedDestination(serverName, step, delegatedTo, targets, host, host);
    }

    /**
     * Why a name that follows the server name grammar still names no place to connect to: a port
     * outside 1 to 65535 (the grammar allows any five digits), or an IPv6 literal that is not an
     * address (the grammar only restricts its characters).
     */
    static Optional<String> unusable(ServerName name) {
        if (name.port().isPresent()
                && (name.port().getAsInt() < 1 || name.port().getAsInt() > 65535)) {
            return Optional.of("port " + name.port().getAsInt() + " is out of range");
        }
        if (name.host().startsWith("[")) {
            try {
                // in brackets the JDK parses it as an IPv6 literal only, never asking DNS
                InetAddress.getByName(name.host());
            } catch (UnknownHostException e) {
                return Optional.of(name.host() + " is not an IPv6 address");
            }
        }
        return Optional.empty();
    }

    private static String unbracketed(String host) {
        return host.startsWith("[") ? host.substring(1, host.length() - 1) : host;
    }
}
