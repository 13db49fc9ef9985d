/**
 * Server-side backups of room keys (versions and the encrypted sessions in them).
 *
 * @see <a href="https://spec.matrix.org/v1.19/client-server-api/#server-side-key-backups">Server-side key backups</a>
 */
@NullMarked
package dev.myelin.storage.backup;

import org.jspecify.annotations.NullMarked;
