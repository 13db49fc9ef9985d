package dev.myelin.server.handler.media;

import java.nio.file.Path;
import java.util.Optional;

/**
 * A file ready to be streamed to a client: media content or a thumbnail.
 *
 * @param file the file on disk
 * @param contentType the type it is served as
 * @param length its size in bytes, sent as {@code Content-Length}
 * @param fileName the name for {@code Content-Disposition}, if any
 */
public record MediaContent(Path file, String contentType, long length, Optional<String> fileName) {}
