package dev.myelin.testing;

import java.nio.charset.StandardCharsets;
import java.util.Optional;

/**
 * A piece of media as {@link TestClient#downloadMedia(String)} received it.
 *
 * @param contentType the {@code Content-Type} the server answered with
 * @param bytes the content
 * @param contentDisposition the {@code Content-Disposition} header (it carries the file name), if any
 */
public record DownloadedMedia(String contentType, byte[] bytes, Optional<String> contentDisposition) {

    /** The content as UTF-8 text. */
    public String text() {
        return new String(bytes, StandardCharsets.UTF_8);
    }
}
