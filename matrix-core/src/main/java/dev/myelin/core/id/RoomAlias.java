package dev.myelin.core.id;

/**
 * A room alias, {@code #localpart:server}. The localpart may hold any code point except ':' and
 * NUL; the whole alias is at most 255 bytes.
 *
 * @see <a href="https://spec.matrix.org/v1.19/appendices/#room-aliases">Room Aliases</a>
 */
public record RoomAlias(String localpart, ServerName server) {
    private static final String KIND = "room alias";

    /**
     * Checks the room alias against its grammar.
     *
     * @throws InvalidIdentifierException if it does not follow it
     */
    public RoomAlias {
        if (localpart == null || server == null) {
            throw new InvalidIdentifierException(KIND + " needs a localpart and a server name");
        }
        if (localpart.isEmpty()) {
            throw new InvalidIdentifierException(KIND + " localpart must not be empty");
        }
        Grammar.requireHistoricalLocalpart(KIND, localpart);
        Grammar.requireLength(KIND, "#" + localpart + ":" + server.value());
    }

    /**
     * Parses a room alias.
     *
     * @param value the room alias as a string
     * @return the room alias
     * @throws InvalidIdentifierException if it does not follow the grammar
     */
    public static RoomAlias parse(String value) {
        Grammar.requireSigil(KIND, value, '#');
        int colon = value.indexOf(':');
        if (colon < 0) {
            throw new InvalidIdentifierException(
                    KIND + " must contain ':' before the server name: " + Grammar.abbreviate(value));
        }
        return new RoomAlias(value.substring(1, colon), ServerName.parse(value.substring(colon + 1)));
    }

    /**
     * Whether {@code value} is a valid room alias.
     *
     * @param value the candidate
     * @return true if {@link #parse} would accept it
     */
    public static boolean isValid(String value) {
        try {
            parse(value);
            return true;
        } catch (InvalidIdentifierException e) {
            return false;
        }
    }

    @Override
    public String toString() {
        return "#" + localpart + ":" + server.value();
    }
}
