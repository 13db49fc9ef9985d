package dev.myelin.http.client;

import java.net.InetAddress;
import java.util.List;
import java.util.Objects;

/**
 * Which destination addresses the outbound client may not connect to (Synapse's
 * {@code ip_range_blacklist} / {@code ip_range_whitelist}): an address is blocked when it is in a
 * blocked range and in no allowed range. Checked after DNS resolution, so it also covers redirects
 * and literal IP URLs, and cannot be bypassed by a name that resolves to a private address.
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

    /** Copies the range lists. */
    public IpBlocklist {
        blocked = List.copyOf(blocked);
        allowed = List.copyOf(allowed);
    }

    /** {@link #DEFAULT_BLOCKED} with no exceptions. */
    public static IpBlocklist defaults() {
        return of(DEFAULT_BLOCKED, List.of());
    }

    /** Blocks nothing; for tests and trusted internal clients only. */
    public static IpBlocklist none() {
        return new IpBlocklist(List.of(), List.of());
    }

    /** Parses CIDR strings as written in configuration. */
    public static IpBlocklist of(List<String> blocked, List<String> allowed) {
        return new IpBlocklist(
                blocked.stream().map(IpRange::parse).toList(), allowed.stream().map(IpRange::parse).toList());
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
     * Whether {@code address} is in a blocked range and in no allowed one.
     *
     * @param address a resolved or literal address
     * @return true if no connection may be made to it
     */
    public boolean isBlocked(InetAddress address) {
        Objects.requireNonNull(address, "address");
        return blocked.stream().anyMatch(r -> r.contains(address)) && allowed.stream().noneMatch(r -> r.contains(address));
    }
}
