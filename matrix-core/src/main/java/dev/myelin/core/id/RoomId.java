package dev.myelin.core.id;

import java.util.Optional;

/**
 * A room id: {@code !opaque:server} in room versions 1 to 11, or {@code !} followed by the
 * url-safe unpadded base64 reference hash of the create event in room version 12.
 *
 * @see <a href="https://spec.matrix.org/v1.19/appendices/#room-ids">Room IDs</a>
 */
public record RoomId(String value) implements Comparable<RoomId> {
    private static final String KIND = "room id";
    /** Length of an unpadded base64 SHA-256 hash. */
    private static final int HASH_LENGTH = 43;

    /**
     * Checks the room id against its grammar.
     *
     * @throws InvalidIdentifierException if it does not follow it
     */
    public RoomId {
        if (value == null) {
            throw new InvalidIdentifierException(KIND + " must not be null");
        }
        Grammar.requireSigil(KIND, value, '!');
        Grammar.requireLength(KIND, value);
        int colon = value.indexOf(':');
        String opaque = colon < 0 ? value.substring(1) : value.substring(1, colon);
        if (colon >= 0) {
            ServerName.parse(value.substring(colon + 1));
        } else if (opaque.isEmpty()) {
            throw new InvalidIdentifierException(KIND + " must not be empty after '!'");
        } else if (opaque.length() != HASH_LENGTH
                || !opaque.chars().allMatch(c -> Grammar.isUrlSafeBase64Char((char) c))) {
            // Only room version 12 has room ids without a server, and there they are always the
            // create event's reference hash.
            throw new InvalidIdentifierException(KIND + " without a server must be the " + HASH_LENGTH
                    + "-character url-safe base64 hash of its create event: " + Grammar.abbreviate(value));
        }
        Grammar.requireHistoricalLocalpart(KIND, opaque);
    }

    /**
     * Parses a room id.
     *
     * @param value the room id as a string
     * @return the room id
     * @throws InvalidIdentifierException if it does not follow the grammar
     */
    public static RoomId parse(String value) {
        return new RoomId(value);
    }

    /**
     * Whether {@code value} is a valid room id.
     *
     * @param value the candidate
     * @return true if {@link #parse} would accept it
     */
    public static boolean isValid(String value) {
        try {
            new RoomId(value);
            return true;
        } catch (InvalidIdentifierException e) {
            return false;
        }
    }

    /** A new room id of the {@code !opaque:server} form; the opaque part must be alphanumeric. */
    public static RoomId of(String opaque, ServerName server) {
        if (opaque.isEmpty() || !opaque.chars().allMatch(c -> Grammar.isOpaqueIdChar((char) c))) {
            throw new InvalidIdentifierException(KIND + " opaque part must be non-empty and use "
                    + "only [A-Za-z0-9._~-]: " + Grammar.abbreviate(opaque));
        }
        return new RoomId("!" + opaque + ":" + server.value());
    }

    /** The room id of a room version 12 room whose create event has the given event id. */
    public static RoomId fromCreateEvent(EventId createEventId) {
        if (createEventId.server().isPresent()) {
            throw new InvalidIdentifierException("only hash-based event ids can become room ids: " + createEventId);
        }
        return new RoomId("!" + createEventId.value().substring(1));
    }

    /** The server part, absent for domainless (room version 12) room ids. */
    public Optional<ServerName> server() {
        int colon = value.indexOf(':');
        return colon < 0 ? Optional.empty() : Optional.of(new ServerName(value.substring(colon + 1)));
    }

    /** The event id of the create event for a domainless (room version 12) room id. */
    public Optional<EventId> createEventId() {
        return value.indexOf(':') < 0 ? Optional.of(new EventId("$" + value.substring(1))) : Optional.empty();
    }

    @Override
    public int compareTo(RoomId other) {
        return value.compareTo(other.value);
    }

    @Override
    public String toString() {
        return value;
    }
}
