package dev.myelin.core.id;

import java.util.Optional;

/**
 * An event id. Room versions 1 and 2 use {@code $opaque:server}; version 3 uses {@code $} and the
 * standard unpadded base64 reference hash; version 4 and later the url-safe alphabet. Which form a
 * room accepts is a property of its room version ({@code EventIdFormat}); this type accepts any of
 * them and offers the checks.
 *
 * @see <a href="https://spec.matrix.org/v1.19/appendices/#event-ids">Event IDs</a>
 */
public record EventId(String value) implements Comparable<EventId> {
    private static final String KIND = "event id";
    /** Length of an unpadded base64 SHA-256 hash. */
    public static final int HASH_LENGTH = 43;

    /**
     * Checks the event id against its grammar.
     *
     * @throws InvalidIdentifierException if it does not follow it
     */
    public EventId {
        if (value == null) {
            throw new InvalidIdentifierException(KIND + " must not be null");
        }
        Grammar.requireSigil(KIND, value, '$');
        Grammar.requireLength(KIND, value);
        if (value.length() == 1) {
            throw new InvalidIdentifierException(KIND + " must not be empty after '$'");
        }
        int colon = value.indexOf(':');
        if (colon >= 0) {
            ServerName.parse(value.substring(colon + 1));
            Grammar.requireHistoricalLocalpart(KIND, value.substring(1, colon));
        } else if (value.indexOf('\0') >= 0) {
            throw new InvalidIdentifierException(KIND + " must not contain NUL");
        }
    }

    /**
     * Parses a event id.
     *
     * @param value the event id as a string
     * @return the event id
     * @throws InvalidIdentifierException if it does not follow the grammar
     */
    public static EventId parse(String value) {
        return new EventId(value);
    }

    /**
     * Whether {@code value} is a valid event id.
     *
     * @param value the candidate
     * @return true if {@link #parse} would accept it
     */
    public static boolean isValid(String value) {
        try {
            new EventId(value);
            return true;
        } catch (InvalidIdentifierException e) {
            return false;
        }
    }

    /** The server part of a room version 1 or 2 event id. */
    public Optional<ServerName> server() {
        int colon = value.indexOf(':');
        return colon < 0 ? Optional.empty() : Optional.of(new ServerName(value.substring(colon + 1)));
    }

    /** True for the {@code $opaque:server} form of room versions 1 and 2. */
    public boolean hasServerPart() {
        return value.indexOf(':') >= 0;
    }

    /** True for a standard-alphabet base64 hash id (room version 3). */
    public boolean isStandardBase64Hash() {
        return isHash(false);
    }

    /** True for a url-safe base64 hash id (room version 4 and later). */
    public boolean isUrlSafeBase64Hash() {
        return isHash(true);
    }

    private boolean isHash(boolean urlSafe) {
        if (value.length() != HASH_LENGTH + 1) {
            return false;
        }
        for (int i = 1; i < value.length(); i++) {
            char c = value.charAt(i);
            if (urlSafe ? !Grammar.isUrlSafeBase64Char(c) : !Grammar.isStandardBase64Char(c)) {
                return false;
            }
        }
        return true;
    }

    @Override
    public int compareTo(EventId other) {
        return value.compareTo(other.value);
    }

    @Override
    public String toString() {
        return value;
    }
}
