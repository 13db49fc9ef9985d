package dev.myelin.http.client;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Arrays;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * A CIDR range of IPv4 or IPv6 addresses, such as {@code 10.0.0.0/8} or {@code fe80::/10}.
 *
 * <p>Addresses are compared in their 16-byte IPv6 form, with IPv4 addresses (and ranges) mapped
 * to {@code ::ffff:a.b.c.d}; so {@code ::ffff:127.0.0.1} is inside {@code 127.0.0.0/8} and cannot
 * be used to sneak past an IPv4 rule.
 *
 * @param network the network address in 16-byte form, host bits zero
 * @param prefixLength prefix length in the 16-byte form (0-128)
 */
public record IpRange(byte[] network, int prefixLength) {

    private static final Pattern LITERAL = Pattern.compile("[0-9A-Fa-f:.]+");
    private static final Pattern CANONICAL_V4 = Pattern.compile("(0|[1-9]\\d{0,2})(\\.(0|[1-9]\\d{0,2})){3}");
    /** The numeric IPv4 forms C's {@code inet_aton} accepts: one to four parts, decimal, octal or hex. */
    private static final Pattern NUMERIC_V4 =
            Pattern.compile("(0[xX][0-9a-fA-F]*|\\d+)(\\.(0[xX][0-9a-fA-F]*|\\d+)){0,3}\\.?");

    /** Checks the prefix length and masks the host bits off the network address. */
    public IpRange {
        Objects.requireNonNull(network, "network");
        if (network.length != 16 || prefixLength < 0 || prefixLength > 128) {
            throw new IllegalArgumentException("bad range");
        }
        network = mask(network.clone(), prefixLength);
    }

    /**
     * Parses {@code address/prefix} or a bare address (a single-address range).
     *
     * @throws IllegalArgumentException if it is not a literal address with a valid prefix
     */
    public static IpRange parse(String cidr) {
        String text = cidr.trim();
        int slash = text.indexOf('/');
        String address = slash < 0 ? text : text.substring(0, slash);
        boolean v6Text = address.contains(":");
        InetAddress parsed =
                parseLiteral(address).orElseThrow(() -> new IllegalArgumentException("not an IP address: " + cidr));
        // A v6 text that Java turned into an Inet4Address was v4-mapped: its prefix is already in v6 bits.
        boolean inV4Bits = parsed instanceof Inet4Address && !v6Text;
        int max = inV4Bits ? 32 : 128;
        int prefix;
        try {
            prefix = slash < 0 ? max : Integer.parseInt(text.substring(slash + 1));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("bad prefix in " + cidr, e);
        }
        if (prefix < 0 || prefix > max) {
            throw new IllegalArgumentException("bad prefix in " + cidr);
        }
        return new IpRange(toV6Bytes(parsed), inV4Bits ? prefix + 96 : prefix);
    }

    /** The range holding exactly {@code address}. */
    public static IpRange of(InetAddress address) {
        return new IpRange(toV6Bytes(address), 128);
    }

    /** Parses an IP literal without any DNS lookup; empty if {@code text} is not one. */
    static java.util.Optional<InetAddress> parseLiteral(String text) {
        String bare = text.startsWith("[") && text.endsWith("]") ? text.substring(1, text.length() - 1) : text;
        if (bare.isEmpty() || !LITERAL.matcher(bare).matches()) {
            return java.util.Optional.empty();
        }
        if (!bare.contains(":") && !bare.matches("\\d{1,3}(\\.\\d{1,3}){3}")) {
            return java.util.Optional.empty();
        }
        try {
            // Only literal syntax reaches here, so this never queries DNS.
            return java.util.Optional.of(InetAddress.getByName(bare));
        } catch (UnknownHostException e) {
            return java.util.Optional.empty();
        }
    }

    /**
     * Whether {@code host} is an IPv4 address written in a form other than plain dotted decimal
     * ({@code 0}, {@code 127.1}, {@code 2130706433}, {@code 0x7f.0.0.1}, {@code 0177.0.0.1}).
     * Resolvers read such forms differently (C's {@code inet_aton} takes leading zeros as octal,
     * Java as decimal), so a host this process would check as one address may be connected to
     * as another by a proxy.
     */
    static boolean isAmbiguousNumericHost(String host) {
        return NUMERIC_V4.matcher(host).matches() && !CANONICAL_V4.matcher(host).matches();
    }

    /** Whether {@code address} lies in this range. */
    public boolean contains(InetAddress address) {
        return Arrays.equals(mask(toV6Bytes(address), prefixLength), network);
    }

    /** Whether every address of {@code other} lies in this range. */
    public boolean encloses(IpRange other) {
        return other.prefixLength >= prefixLength && Arrays.equals(mask(other.network(), prefixLength), network);
    }

    private static byte[] toV6Bytes(InetAddress address) {
        byte[] raw = address.getAddress();
        if (raw.length == 16) {
            return raw;
        }
        byte[] mapped = new byte[16];
        mapped[10] = (byte) 0xff;
        mapped[11] = (byte) 0xff;
        System.arraycopy(raw, 0, mapped, 12, 4);
        return mapped;
    }

    private static byte[] mask(byte[] bytes, int prefix) {
        for (int i = 0; i < 16; i++) {
            int bits = Math.clamp(prefix - i * 8L, 0, 8);
            bytes[i] &= (byte) (0xff << (8 - bits));
        }
        return bytes;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof IpRange r && r.prefixLength == prefixLength && Arrays.equals(r.network, network);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(network) * 31 + prefixLength;
    }

    /**
     * The network address as 16 bytes (IPv4 ranges as IPv4-mapped IPv6).
     *
     * @return a copy
     */
    @Override
    public byte[] network() {
        return network.clone();
    }

    @Override
    public String toString() {
        try {
            InetAddress a = InetAddress.getByAddress(network);
            return a.getHostAddress() + "/" + (a instanceof Inet4Address ? prefixLength - 96 : prefixLength);
        } catch (UnknownHostException e) {
            throw new IllegalStateException(e);
        }
    }
}
