/**
 * Read receipts per room, type, user and thread.
 *
 * @see <a href="https://spec.matrix.org/v1.19/client-server-api/#receipts">Receipts</a>
 */
@NullMarked
package dev.myelin.storage.receipt;

import org.jspecify.annotations.NullMarked;
