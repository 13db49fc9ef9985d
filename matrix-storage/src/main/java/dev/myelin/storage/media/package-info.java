/**
 * Metadata of locally stored media and thumbnails; the bytes live on disk.
 *
 * @see <a href="https://spec.matrix.org/v1.19/client-server-api/#content-repository">Content repository</a>
 */
@NullMarked
package dev.myelin.storage.media;

import org.jspecify.annotations.NullMarked;
