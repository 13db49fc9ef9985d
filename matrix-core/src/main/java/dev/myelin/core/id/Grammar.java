package dev.myelin.core.id;

import java.nio.charset.StandardCharsets;

/** Shared checks of the identifier grammar in the spec's appendices. */
final class Grammar {
    /** Every sigil-prefixed identifier is limited to this many UTF-8 bytes. */
    static final int MAX_ID_BYTES = 255;

    private Grammar() {}

    static void requireLength(String kind, String value) {
        if (value.getBytes(StandardCharsets.UTF_8).length > MAX_ID_BYTES) {
            throw new InvalidIdentifierException(
                    kind + " must not exceed " + MAX_ID_BYTES + " bytes: " + abbreviate(value));
        }
    }

    static void requireSigil(String kind, String value, char sigil) {
        if (value.isEmpty() || value.charAt(0) != sigil) {
            throw new InvalidIdentifierException(kind + " must start with '" + sigil + "': " + abbreviate(value));
        }
    }

    /** The historical localpart grammar: any non-surrogate code point except ':' and NUL. */
    static void requireHistoricalLocalpart(String kind, String localpart) {
        for (int i = 0; i < localpart.length(); i++) {
            char c = localpart.charAt(i);
            if (c == ':' || c == 0) {
                throw new InvalidIdentifierException(
                        kind + " localpart must not contain ':' or NUL: " + abbreviate(localpart));
            }
            if (Character.isSurrogate(c)) {
                boolean pair = Character.isHighSurrogate(c)
                        && i + 1 < localpart.length()
                        && Character.isLowSurrogate(localpart.charAt(i + 1));
                if (!pair) {
                    throw new InvalidIdentifierException(kind + " localpart contains an unpaired surrogate");
                }
                i++;
            }
        }
    }

    /** True for the characters of the spec's current user id localpart grammar. */
    static boolean isStrictUserChar(char c) {
        return (c >= 'a' && c <= 'z')
                || (c >= '0' && c <= '9')
                || c == '-'
                || c == '.'
                || c == '='
                || c == '_'
                || c == '/'
                || c == '+';
    }

    static boolean isOpaqueIdChar(char c) {
        return (c >= 'a' && c <= 'z')
                || (c >= 'A' && c <= 'Z')
                || (c >= '0' && c <= '9')
                || c == '-'
                || c == '.'
                || c == '_'
                || c == '~';
    }

    static boolean isUrlSafeBase64Char(char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' || c == '_';
    }

    static boolean isStandardBase64Char(char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '+' || c == '/';
    }

    static String abbreviate(String value) {
        return value.length() <= 80 ? value : value.substring(0, 77) + "...";
    }
}
