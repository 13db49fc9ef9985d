/**
 * Persistent data units (room events) per room version: parsing, content and reference hashes, event ids,
 * signing and redaction.
 *
 * @see <a href="https://spec.matrix.org/v1.19/server-server-api/#pdus">PDUs</a>
 */
@NullMarked
package dev.myelin.core.event;

import org.jspecify.annotations.NullMarked;
