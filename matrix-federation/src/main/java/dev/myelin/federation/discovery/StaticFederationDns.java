package dev.myelin.federation.discovery;

import dev.myelin.http.client.IpRange;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * DNS answered from fixed tables instead of DNS servers: an {@code /etc/hosts} that also holds SRV
 * records. Names not in the tables do not exist, so nothing is ever asked of real DNS. For test
 * networks (two servers called {@code hs1.test} and {@code hs2.test} on loopback) and private
 * federations without a DNS zone; read from the {@code federation_static_dns} setting.
 *
 * <p>Names are compared without case and without a trailing dot.
 */
public final class StaticFederationDns implements FederationDns {
    private final Map<String, List<InetAddress>> hosts;
    private final Map<String, List<SrvRecord>> srv;

    /**
     * @param hosts addresses by host name
     * @param srv SRV records by record name ({@code _matrix-fed._tcp.hs1.test})
     */
    public StaticFederationDns(Map<String, List<InetAddress>> hosts, Map<String, List<SrvRecord>> srv) {
        this.hosts = new TreeMap<>();
        hosts.forEach((name, addresses) -> {
            if (addresses.isEmpty()) {
                throw new IllegalArgumentException("host " + name + " has no address");
            }
            String key = normalise(name);
            List<InetAddress> named = new ArrayList<>();
            for (InetAddress address : addresses) {
                named.add(withName(key, address));
            }
            this.hosts.put(key, List.copyOf(named));
        });
        this.srv = new TreeMap<>();
        srv.forEach((name, records) -> this.srv.put(normalise(name), List.copyOf(records)));
    }

    /**
     * Parses the text forms of the setting: addresses as IP literals, SRV records as {@code
     * "priority weight port target"} (the zone-file order).
     *
     * @throws IllegalArgumentException naming the entry that is not an IP literal or SRV record
     */
    public static StaticFederationDns parse(Map<String, List<String>> hosts, Map<String, List<String>> srv) {
        Map<String, List<InetAddress>> addresses = new TreeMap<>();
        hosts.forEach((name, literals) -> {
            List<InetAddress> list = new ArrayList<>();
            for (String literal : literals) {
                list.add(ipLiteral(name, literal));
            }
            addresses.put(name, list);
        });
        Map<String, List<SrvRecord>> records = new TreeMap<>();
        srv.forEach((name, lines) -> {
            List<SrvRecord> list = new ArrayList<>();
            for (String line : lines) {
                list.add(srvRecord(name, line));
            }
            records.put(name, list);
        });
        return new StaticFederationDns(addresses, records);
    }

    @Override
    public List<SrvRecord> srv(String name) {
        return srv.getOrDefault(normalise(name), List.of());
    }

    @Override
    public List<InetAddress> resolve(String host) throws UnknownHostException {
        List<InetAddress> found = hosts.get(normalise(host));
        if (found == null) {
            throw new UnknownHostException(host + " (not in federation_static_dns)");
        }
        return found;
    }

    private static String normalise(String name) {
        String lower = name.toLowerCase(Locale.ROOT);
        return lower.endsWith(".") ? lower.substring(0, lower.length() - 1) : lower;
    }

    private static InetAddress withName(String host, InetAddress address) {
        try {
            // the TLS layer checks the certificate against the name an address carries
            return InetAddress.getByAddress(host, address.getAddress());
        } catch (UnknownHostException e) {
            throw new IllegalStateException("an address taken from an InetAddress has a valid length", e);
        }
    }

    private static InetAddress ipLiteral(String host, String literal) {
        String bare =
                literal.startsWith("[") && literal.endsWith("]") ? literal.substring(1, literal.length() - 1) : literal;
        try {
            if (bare.contains("/")) {
                throw new IllegalArgumentException("a range, not an address");
            }
            return InetAddress.getByAddress(IpRange.parse(bare).network());
        } catch (IllegalArgumentException | UnknownHostException e) {
            throw new IllegalArgumentException(host + ": '" + literal + "' is not an IP address", e);
        }
    }

    private static SrvRecord srvRecord(String name, String line) {
        String[] parts = line.trim().split("\\s+");
        if (parts.length != 4) {
            throw new IllegalArgumentException(
                    name + ": '" + line + "' is not an SRV record ('priority weight port target')");
        }
        try {
            return new SrvRecord(
                    Integer.parseInt(parts[0]), Integer.parseInt(parts[1]), Integer.parseInt(parts[2]), parts[3]);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(
                    name + ": '" + line + "' is not an SRV record ('priority weight port target')", e);
        }
    }
}
