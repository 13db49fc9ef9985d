package dev.myelin.storage.media;

/**
 * A thumbnail generated for local media, stored next to it on disk.
 *
 * @param width the width asked for (one of the standard sizes)
 * @param height the height asked for
 * @param method {@code crop} or {@code scale}
 * @param contentType the thumbnail's own type ({@code image/png}, {@code image/jpeg})
 * @param length the thumbnail file's size in bytes
 */
public record MediaThumbnail(String mediaId, int width, int height, String method, String contentType, long length) {}
