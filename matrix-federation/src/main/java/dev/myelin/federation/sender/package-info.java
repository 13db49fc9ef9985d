/**
 * The outgoing transaction queue: PDUs and EDUs for each destination, batched into
 * {@code /send} transactions, one in flight per destination, kept until delivered.
 */
@NullMarked
package dev.myelin.federation.sender;

import org.jspecify.annotations.NullMarked;
