package dev.myelin.http.client;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Executor;
import org.eclipse.jetty.client.Destination;
import org.eclipse.jetty.util.Promise;
import org.eclipse.jetty.util.SocketAddressResolver;

/**
 * Jetty's resolution hook: resolves through the {@link HostResolver} and refuses any destination
 * with a blocked address. Jetty calls it for every new connection, including literal IP URLs and
 * redirect targets, so nothing reaches a blocked address. If any address of a name is blocked the
 * whole name is refused, so a name mixing public and private addresses cannot be used to reach
 * the private one. This machine's own addresses count as blocked as {@link IpBlocklist} describes,
 * whatever the configured ranges are.
 */
final class BlocklistingResolver implements SocketAddressResolver {

    private final HostResolver resolver;
    private final IpBlocklist blocklist;
    private final LocalAddresses localAddresses;
    /** Configured proxy hosts: trusted by configuration, not subject to the blocklist. */
    private final Set<String> proxyHosts;

    private final Executor executor;

    BlocklistingResolver(
            HostResolver resolver,
            IpBlocklist blocklist,
            LocalAddresses localAddresses,
            Set<String> proxyHosts,
            Executor executor) {
        this.resolver = resolver;
        this.blocklist = blocklist;
        this.localAddresses = localAddresses;
        this.proxyHosts = proxyHosts;
        this.executor = executor;
    }

    @Override
    public void resolve(String host, int port, Map<String, Object> context, Promise<List<InetSocketAddress>> promise) {
        Optional<ConnectVia> via = connectVia(host, context);
        // Name resolution may block; never do it on a Jetty selector thread.
        executor.execute(() -> {
            try {
                promise.succeeded(
                        via.isPresent() ? resolveVia(host, via.get().host(), port) : resolveChecked(host, port));
            } catch (Throwable t) {
                promise.failed(t);
            }
        });
    }

    /** The host to connect to instead of {@code host}, when the destination asks for one (and is not a proxy). */
    private static Optional<ConnectVia> connectVia(String host, Map<String, Object> context) {
        if (context != null
                && context.get(Destination.CONTEXT_KEY) instanceof Destination destination
                && destination.getOrigin().getTag() instanceof ConnectVia via
                && destination.getOrigin().getAddress().getHost().equals(host)) {
            return Optional.of(via);
        }
        return Optional.empty();
    }

    /**
     * The checked addresses of {@code connectHost}, each carrying {@code host} as its name: the
     * TLS layer takes the name it checks the certificate for from the address.
     */
    private List<InetSocketAddress> resolveVia(String host, String connectHost, int port) throws UnknownHostException {
        List<InetSocketAddress> result = new ArrayList<>();
        for (InetSocketAddress address : resolveChecked(connectHost, port)) {
            InetAddress named =
                    InetAddress.getByAddress(host, address.getAddress().getAddress());
            result.add(new InetSocketAddress(named, port));
        }
        return result;
    }

    List<InetSocketAddress> resolveChecked(String host, int port) throws UnknownHostException {
        Optional<InetAddress> literal = IpRange.parseLiteral(host);
        List<InetAddress> addresses = literal.isPresent() ? List.of(literal.get()) : resolver.resolve(host);
        if (addresses.isEmpty()) {
            throw new UnknownHostException(host);
        }
        boolean trusted = proxyHosts.contains(host.toLowerCase(Locale.ROOT));
        List<InetAddress> local = trusted ? List.of() : localAddresses.current();
        List<InetSocketAddress> result = new ArrayList<>();
        for (InetAddress address : addresses) {
            if (!trusted && blocklist.isBlocked(address, local)) {
                throw new BlockedDestinationException(host, address.getHostAddress());
            }
            result.add(new InetSocketAddress(address, port));
        }
        return result;
    }

    /** Whether a literal destination address is refused (for requests not resolved here, such as proxied ones). */
    boolean isBlocked(InetAddress address) {
        return blocklist.isBlocked(address, localAddresses.current());
    }
}
