package dev.myelin.server.handler.media;

import java.util.Locale;
import java.util.Optional;

/**
 * How a thumbnail is fitted to the size asked for.
 *
 * @see <a href="https://spec.matrix.org/v1.19/client-server-api/#thumbnails">thumbnails</a>
 */
public enum ThumbnailMethod {
    /** Fill the size exactly and cut off what sticks out, centred. */
    CROP,
    /** Fit within the size, keeping the aspect ratio. */
    SCALE;

    public String value() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Optional<ThumbnailMethod> parse(String value) {
        return switch (value) {
            case "crop" -> Optional.of(CROP);
            case "scale" -> Optional.of(SCALE);
            default -> Optional.empty();
        };
    }
}
