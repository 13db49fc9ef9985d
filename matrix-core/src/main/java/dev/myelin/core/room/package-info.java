/**
 * Room versions as values: each version's event format, auth rules, redaction rules and state resolution
 * algorithm as flags, so code asks for a rule instead of comparing version strings.
 *
 * @see <a href="https://spec.matrix.org/v1.19/rooms/">Room versions</a>
 */
@NullMarked
package dev.myelin.core.room;

import org.jspecify.annotations.NullMarked;
