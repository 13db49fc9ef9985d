/**
 * The full-text index of events that {@code POST /search} reads.
 *
 * @see <a href="https://spec.matrix.org/v1.19/client-server-api/#server-side-search">Server Side Search</a>
 */
@NullMarked
package dev.myelin.storage.search;

import org.jspecify.annotations.NullMarked;
