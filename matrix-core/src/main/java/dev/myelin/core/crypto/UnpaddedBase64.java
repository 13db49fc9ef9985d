package dev.myelin.core.crypto;

import java.util.Base64;
import java.util.Objects;

/**
 * Unpadded base64, the encoding of every binary value in Matrix JSON (keys, signatures, hashes),
 * in the standard alphabet and the url-safe one ({@code -} and {@code _} for 62 and 63) used by
 * event ids from room version 4.
 *
 * <p>Encoding never writes {@code =}; decoding accepts input with or without padding, as the spec
 * asks, and throws {@link IllegalArgumentException} naming the problem on anything else. Unused
 * low bits of the last character are not required to be zero: the spec's own test seed
 * ({@code ...XA1}) has them set.
 *
 * @see <a href="https://spec.matrix.org/v1.19/appendices/#unpadded-base64">Unpadded Base64</a>
 */
public final class UnpaddedBase64 {
    private static final Base64.Encoder STANDARD = Base64.getEncoder().withoutPadding();
    private static final Base64.Encoder URL_SAFE = Base64.getUrlEncoder().withoutPadding();

    private UnpaddedBase64() {}

    /** Encodes with the standard alphabet, without padding. */
    public static String encode(byte[] data) {
        return STANDARD.encodeToString(data);
    }

    /** Encodes with the url-safe alphabet, without padding. */
    public static String encodeUrlSafe(byte[] data) {
        return URL_SAFE.encodeToString(data);
    }

    /** Decodes standard-alphabet base64, padded or not. */
    public static byte[] decode(String encoded) {
        return decode(encoded, Base64.getDecoder(), "base64");
    }

    /** Decodes url-safe base64, padded or not. */
    public static byte[] decodeUrlSafe(String encoded) {
        return decode(encoded, Base64.getUrlDecoder(), "url-safe base64");
    }

    private static byte[] decode(String encoded, Base64.Decoder decoder, String kind) {
        Objects.requireNonNull(encoded, "encoded");
        try {
            return decoder.decode(encoded);
        } catch (IllegalArgumentException e) {
            String shown = encoded.length() > 64 ? encoded.substring(0, 64) + "..." : encoded;
            throw new IllegalArgumentException("invalid " + kind + " '" + shown + "': " + e.getMessage(), e);
        }
    }
}
