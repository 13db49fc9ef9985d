package dev.myelin.core.id;

import java.util.OptionalInt;

/**
 * A homeserver's name: a DNS name, an IPv4 literal or a bracketed IPv6 literal, with an optional
 * port. Server names are case-sensitive and compared as written.
 *
 * @see <a href="https://spec.matrix.org/v1.19/appendices/#server-name">Server Name</a>
 */
public record ServerName(String value) implements Comparable<ServerName> {
    private static final int MAX_DNS_NAME = 255;

    /**
     * Checks the server name against its grammar.
     *
     * @throws InvalidIdentifierException if it does not follow it
     */
    public ServerName {
        if (value == null || value.isEmpty()) {
            throw new InvalidIdentifierException("server name must not be empty");
        }
        int hostEnd = hostEnd(value);
        validateHost(value, value.substring(0, hostEnd));
        if (hostEnd < value.length()) {
            validatePort(value, value.substring(hostEnd));
        }
    }

    /** Parses a server name, throwing {@link InvalidIdentifierException} naming the broken rule. */
    public static ServerName parse(String value) {
        return new ServerName(value);
    }

    /** True when {@code value} is a valid server name. */
    public static boolean isValid(String value) {
        try {
            new ServerName(value);
            return true;
        } catch (InvalidIdentifierException e) {
            return false;
        }
    }

    /** The host part: a DNS name, an IPv4 literal, or an IPv6 literal with its brackets. */
    public String host() {
        return value.substring(0, hostEnd(value));
    }

    /** The explicit port, if the name has one. */
    public OptionalInt port() {
        int end = hostEnd(value);
        return end == value.length() ? OptionalInt.empty() : OptionalInt.of(Integer.parseInt(value.substring(end + 1)));
    }

    /** True when the host is an IP literal rather than a DNS name. */
    public boolean isIpLiteral() {
        String host = host();
        return host.startsWith("[") || isIpv4(host);
    }

    @Override
    public int compareTo(ServerName other) {
        return value.compareTo(other.value);
    }

    @Override
    public String toString() {
        return value;
    }

    private static int hostEnd(String value) {
        if (value.startsWith("[")) {
            int close = value.indexOf(']');
            if (close < 0) {
                throw new InvalidIdentifierException(
                        "server name IPv6 literal is missing its closing ']': " + Grammar.abbreviate(value));
            }
            return close + 1;
        }
        int colon = value.lastIndexOf(':');
        return colon < 0 ? value.length() : colon;
    }

    private static void validateHost(String whole, String host) {
        if (host.startsWith("[")) {
            String literal = host.substring(1, host.length() - 1);
            if (literal.length() < 2 || literal.length() > 45) {
                throw new InvalidIdentifierException("server name IPv6 literal must be 2 to 45 characters: " + whole);
            }
            for (char c : literal.toCharArray()) {
                boolean ok = (c >= '0' && c <= '9')
                        || (c >= 'A' && c <= 'F')
                        || (c >= 'a' && c <= 'f')
                        || c == ':'
                        || c == '.';
                if (!ok) {
                    throw new InvalidIdentifierException(
                            "server name IPv6 literal may contain only hex digits, ':' and '.': " + whole);
                }
            }
            if (!literal.contains(":")) {
                throw new InvalidIdentifierException("server name IPv6 literal must contain ':': " + whole);
            }
            return;
        }
        if (host.isEmpty()) {
            throw new InvalidIdentifierException("server name has an empty hostname: " + whole);
        }
        if (host.length() > MAX_DNS_NAME) {
            throw new InvalidIdentifierException(
                    "server name hostname must not exceed " + MAX_DNS_NAME + " characters");
        }
        if (looksLikeIpv4(host)) {
            if (!isIpv4(host)) {
                throw new InvalidIdentifierException(
                        "server name IPv4 literal must be four numbers from 0 to 255: " + whole);
            }
            return;
        }
        for (char c : host.toCharArray()) {
            boolean ok =
                    (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' || c == '.';
            if (!ok) {
                throw new InvalidIdentifierException(
                        "server name hostname may contain only letters, digits, '-' and '.': "
                                + Grammar.abbreviate(whole));
            }
        }
    }

    private static void validatePort(String whole, String colonAndPort) {
        if (!colonAndPort.startsWith(":")) {
            throw new InvalidIdentifierException(
                    "server name has unexpected characters after the IPv6 literal: " + whole);
        }
        String port = colonAndPort.substring(1);
        if (port.isEmpty() || port.length() > 5 || !port.chars().allMatch(c -> c >= '0' && c <= '9')) {
            throw new InvalidIdentifierException("server name port must be 1 to 5 digits: " + whole);
        }
    }

    private static boolean looksLikeIpv4(String host) {
        return host.chars().allMatch(c -> (c >= '0' && c <= '9') || c == '.')
                && host.chars().filter(c -> c == '.').count() == 3;
    }

    private static boolean isIpv4(String host) {
        if (!looksLikeIpv4(host)) {
            return false;
        }
        String[] parts = host.split("\\.", -1);
        for (String part : parts) {
            if (part.isEmpty() || part.length() > 3 || Integer.parseInt(part) > 255) {
                return false;
            }
        }
        return true;
    }
}
