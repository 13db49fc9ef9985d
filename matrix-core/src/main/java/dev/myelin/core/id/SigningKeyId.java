package dev.myelin.core.id;

/**
 * A key id as used in {@code signatures} and key listings: {@code algorithm:version}, for example
 * {@code ed25519:a_AbCd}. The version is {@code [a-zA-Z0-9_]+}; the algorithm is the name of a
 * signing algorithm (in practice {@code ed25519}).
 *
 * @see <a href="https://spec.matrix.org/v1.19/server-server-api/#retrieving-server-keys">Server keys</a>
 */
public record SigningKeyId(String algorithm, String version) implements Comparable<SigningKeyId> {
    public static final String ED25519 = "ed25519";
    private static final String KIND = "key id";

    /**
     * Checks the signing key id against its grammar.
     *
     * @throws InvalidIdentifierException if it does not follow it
     */
    public SigningKeyId {
        if (algorithm == null || algorithm.isEmpty()) {
            throw new InvalidIdentifierException(KIND + " algorithm must not be empty");
        }
        if (!algorithm.chars().allMatch(c -> Character.isLetterOrDigit(c) || c == '_' || c == '.' || c == '-')
                || !algorithm.chars().allMatch(c -> c < 0x80)) {
            throw new InvalidIdentifierException(
                    KIND + " algorithm may contain only ASCII letters, " + "digits, '_', '.' and '-': " + algorithm);
        }
        if (version == null || version.isEmpty()) {
            throw new InvalidIdentifierException(KIND + " version must not be empty");
        }
        for (char c : version.toCharArray()) {
            boolean ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
            if (!ok) {
                throw new InvalidIdentifierException(
                        KIND + " version may contain only [a-zA-Z0-9_]: " + Grammar.abbreviate(version));
            }
        }
    }

    /**
     * Parses a signing key id.
     *
     * @param value the signing key id as a string
     * @return the signing key id
     * @throws InvalidIdentifierException if it does not follow the grammar
     */
    public static SigningKeyId parse(String value) {
        int colon = value.indexOf(':');
        if (colon < 0) {
            throw new InvalidIdentifierException(KIND + " must be 'algorithm:version': " + Grammar.abbreviate(value));
        }
        return new SigningKeyId(value.substring(0, colon), value.substring(colon + 1));
    }

    /**
     * An Ed25519 key id.
     *
     * @param version the key's version, e.g. {@code a_bcde}
     * @return {@code ed25519:<version>}
     */
    public static SigningKeyId ed25519(String version) {
        return new SigningKeyId(ED25519, version);
    }

    @Override
    public int compareTo(SigningKeyId other) {
        return toString().compareTo(other.toString());
    }

    @Override
    public String toString() {
        return algorithm + ":" + version;
    }
}
