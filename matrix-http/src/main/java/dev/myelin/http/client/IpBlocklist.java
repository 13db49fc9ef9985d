package dev.myelin.http.client;

import java.net.InetAddress;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Which destination addresses the outbound client may not connect to (Synapse's
 * {@code ip_range_blacklist} / {@code ip_range_whitelist}): an address is blocked when it is in a
 * blocked range and in no allowed range. Checked after DNS resolution, so it also covers redirects
 * and literal IP URLs, and cannot be bypassed by a name that resolves to a private address.
 *
 * <p>Addresses that reach this machine itself are refused whatever {@code blocked} says: the
 * {@link #HOST_RANGES} (unspecified and loopback addresses, in their IPv4, IPv6, IPv4-mapped and
 * IPv4-compatible forms) and the addresses of the machine's own network interfaces. A configured
 * list replaces {@link #DEFAULT_BLOCKED}, and one written without {@code 0.0.0.0/8} would
 * otherwise let {@code http://0.0.0.0/} or {@code http://[::]/} reach services listening on the
 * machine. Only an allowed range that names such an address on purpose lets it through: a range
 * lying inside the host range that holds it ({@code 127.0.0.1} for loopback, an interface's exact
 * address for that interface), or {@code ::/0}, which allows everything ({@link #none()}). A
 * broad allowed range such as {@code 10.0.0.0/8} or {@code 0.0.0.0/0} does not unlock the
 * machine's own addresses inside it.
 *
 * @param blocked ranges to refuse
 * @param allowed exceptions to {@code blocked}
 */
public record IpBlocklist(List<IpRange> blocked, List<IpRange> allowed) {

    /**
     * The default blocked ranges: loopback, private (RFC 1918, unique-local), CGNAT, link-local,
     * documentation/test nets, benchmarking, multicast, and other reserved or unspecified space.
     */
    public static final List<String> DEFAULT_BLOCKED = List.of(
            "0.0.0.0/8",
            "10.0.0.0/8",
            "100.64.0.0/10",
            "127.0.0.0/8",
            "169.254.0.0/16",
            "172.16.0.0/12",
            "192.0.0.0/24",
            "192.0.2.0/24",
            "192.88.99.0/24",
            "192.168.0.0/16",
            "198.18.0.0/15",
            "198.51.100.0/24",
            "203.0.113.0/24",
            "224.0.0.0/4",
            "240.0.0.0/4",
            "::/128",
            "::1/128",
            "fe80::/10",
            "fc00::/7",
            "2001:db8::/32",
            "ff00::/8",
            "fec0::/10");

    /**
     * Ranges that reach this machine whatever the configured list says: {@code 0.0.0.0/8} (Linux
     * connects {@code 0.0.0.0} to the machine itself), {@code 127.0.0.0/8}, {@code ::} and
     * {@code ::1}, and the IPv4-compatible forms {@code ::0.0.0.0/104} and {@code ::127.0.0.0/104}.
     * IPv4-mapped forms ({@code ::ffff:127.0.0.1}) are covered through the IPv4 ranges, see
     * {@link IpRange}.
     */
    public static final List<String> HOST_RANGES =
            List.of("0.0.0.0/8", "127.0.0.0/8", "::/128", "::1/128", "::0.0.0.0/104", "::127.0.0.0/104");

    private static final List<IpRange> HOST =
            HOST_RANGES.stream().map(IpRange::parse).toList();
    private static final IpRange EVERYTHING = IpRange.parse("::/0");

    /** Copies the range lists. */
    public IpBlocklist {
        blocked = List.copyOf(blocked);
        allowed = List.copyOf(allowed);
    }

    /** {@link #DEFAULT_BLOCKED} with no exceptions. */
    public static IpBlocklist defaults() {
        return of(DEFAULT_BLOCKED, List.of());
    }

    /**
     * Blocks nothing, not even this machine's own addresses (it allows {@code ::/0}); for tests
     * and trusted internal clients only.
     */
    public static IpBlocklist none() {
        return new IpBlocklist(List.of(), List.of(EVERYTHING));
    }

    /** Parses CIDR strings as written in configuration. */
    public static IpBlocklist of(List<String> blocked, List<String> allowed) {
        return new IpBlocklist(
                blocked.stream().map(IpRange::parse).toList(),
                allowed.stream().map(IpRange::parse).toList());
    }

    /** A copy that also allows {@code ranges}. */
    public IpBlocklist allowing(String... ranges) {
        List<IpRange> more = new java.util.ArrayList<>(allowed);
        for (String r : ranges) {
            more.add(IpRange.parse(r));
        }
        return new IpBlocklist(blocked, more);
    }

    /**
     * Whether {@code address} is refused, not knowing the machine's interface addresses: the
     * configured ranges and the {@link #HOST_RANGES}. The outbound client uses
     * {@link #isBlocked(InetAddress, Collection)}.
     *
     * @param address a resolved or literal address
     * @return true if no connection may be made to it
     */
    public boolean isBlocked(InetAddress address) {
        return isBlocked(address, List.of());
    }

    /**
     * Whether {@code address} is refused, given the addresses of this machine's network
     * interfaces ({@code hostAddresses}): see the class description.
     */
    public boolean isBlocked(InetAddress address, Collection<InetAddress> hostAddresses) {
        Objects.requireNonNull(address, "address");
        Optional<IpRange> host = hostRange(address, hostAddresses);
        if (host.isPresent()) {
            return allowed.stream()
                    .noneMatch(r -> r.contains(address) && (host.get().encloses(r) || r.equals(EVERYTHING)));
        }
        return blocked.stream().anyMatch(r -> r.contains(address))
                && allowed.stream().noneMatch(r -> r.contains(address));
    }

    /** The host range {@code address} falls in, or its own single-address range if it is an interface's. */
    private static Optional<IpRange> hostRange(InetAddress address, Collection<InetAddress> hostAddresses) {
        for (IpRange range : HOST) {
            if (range.contains(address)) {
                return Optional.of(range);
            }
        }
        IpRange exact = IpRange.of(address);
        return hostAddresses.stream().map(IpRange::of).filter(exact::equals).findFirst();
    }
}
