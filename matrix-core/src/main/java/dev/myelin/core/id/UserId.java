package dev.myelin.core.id;

/**
 * A Matrix user id, {@code @localpart:server}.
 *
 * <p>{@link #parse} accepts the historical grammar that ids received from other servers may use
 * (any code point but ':' and NUL, even an empty localpart); {@link #of} and {@link #parseStrict}
 * enforce the current grammar ({@code a-z 0-9 . _ = - / +}) that ids this server creates must
 * follow.
 *
 * @see <a href="https://spec.matrix.org/v1.19/appendices/#user-identifiers">User Identifiers</a>
 */
public record UserId(String localpart, ServerName server) implements Comparable<UserId> {
    private static final String KIND = "user id";

    /**
     * Checks the user id against its grammar.
     *
     * @throws InvalidIdentifierException if it does not follow it
     */
    public UserId {
        if (localpart == null || server == null) {
            throw new InvalidIdentifierException(KIND + " needs a localpart and a server name");
        }
        Grammar.requireHistoricalLocalpart(KIND, localpart);
        Grammar.requireLength(KIND, "@" + localpart + ":" + server.value());
    }

    /** Parses a user id with the historical grammar, as received over federation. */
    public static UserId parse(String value) {
        Grammar.requireSigil(KIND, value, '@');
        int colon = value.indexOf(':');
        if (colon < 0) {
            throw new InvalidIdentifierException(
                    KIND + " must contain ':' before the server name: " + Grammar.abbreviate(value));
        }
        return new UserId(value.substring(1, colon), ServerName.parse(value.substring(colon + 1)));
    }

    /** Parses a user id and requires the current (strict) localpart grammar. */
    public static UserId parseStrict(String value) {
        UserId id = parse(value);
        requireStrictLocalpart(id.localpart);
        return id;
    }

    /** Builds a new user id for this server; the localpart must follow the strict grammar. */
    public static UserId of(String localpart, ServerName server) {
        requireStrictLocalpart(localpart);
        return new UserId(localpart, server);
    }

    /** True when {@code value} parses with the historical grammar. */
    public static boolean isValid(String value) {
        try {
            parse(value);
            return true;
        } catch (InvalidIdentifierException e) {
            return false;
        }
    }

    /** Checks a localpart against the strict grammar, naming the first offending character. */
    public static void requireStrictLocalpart(String localpart) {
        if (localpart == null || localpart.isEmpty()) {
            throw new InvalidIdentifierException(KIND + " localpart must not be empty");
        }
        for (int i = 0; i < localpart.length(); i++) {
            char c = localpart.charAt(i);
            if (!Grammar.isStrictUserChar(c)) {
                throw new InvalidIdentifierException(KIND + " localpart may contain only a-z, 0-9, "
                        + "'.', '_', '=', '-', '/' and '+', not '" + c + "': " + Grammar.abbreviate(localpart));
            }
        }
    }

    /**
     * True when the localpart is non-empty and only uses U+0021 to U+007E, the spec's test of a
     * compliant (not merely historical) user id.
     */
    public boolean isCompliant() {
        return !localpart.isEmpty() && localpart.chars().allMatch(c -> c >= 0x21 && c <= 0x7E);
    }

    /** True when the localpart follows the current strict grammar. */
    public boolean isStrict() {
        return !localpart.isEmpty() && localpart.chars().allMatch(c -> Grammar.isStrictUserChar((char) c));
    }

    @Override
    public int compareTo(UserId other) {
        return toString().compareTo(other.toString());
    }

    @Override
    public String toString() {
        return "@" + localpart + ":" + server.value();
    }
}
