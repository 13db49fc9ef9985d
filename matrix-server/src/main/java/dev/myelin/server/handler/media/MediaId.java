package dev.myelin.server.handler.media;

import dev.myelin.core.id.MxcUri;
import dev.myelin.http.error.MatrixException;
import java.security.SecureRandom;
import java.util.Objects;

/**
 * The media id of an {@code mxc://<server-name>/<media-id>} URI: only {@code A-Za-z0-9_-}, as the
 * spec requires servers to enforce ({@link MxcUri#isValidMediaId}), so an id can never name a path
 * outside the media store.
 *
 * @see <a href="https://spec.matrix.org/v1.19/client-server-api/#security-considerations-5">content repository security considerations</a>
 */
public record MediaId(String value) {
    private static final char[] ALPHABET =
            "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789".toCharArray();
    private static final int GENERATED_LENGTH = 24;

    public MediaId {
        Objects.requireNonNull(value, "value");
        if (!MxcUri.isValidMediaId(value)) {
            throw new IllegalArgumentException("media ids consist of 1 to 255 characters A-Z, a-z, 0-9, _ and -");
        }
    }

    /** Parses a media id from a request, or 400 {@code M_INVALID_PARAM}. */
    public static MediaId parse(String value) {
        if (!MxcUri.isValidMediaId(value)) {
            throw MatrixException.invalidParam("mediaId", "media ids consist of A-Z, a-z, 0-9, _ and -");
        }
        return new MediaId(value);
    }

    /** A fresh random id of 24 alphanumeric characters (about 143 bits). */
    static MediaId random(SecureRandom random) {
        char[] chars = new char[GENERATED_LENGTH];
        for (int i = 0; i < chars.length; i++) {
            chars[i] = ALPHABET[random.nextInt(ALPHABET.length)];
        }
        return new MediaId(new String(chars));
    }

    @Override
    public String toString() {
        return value;
    }
}
