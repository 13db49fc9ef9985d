/**
 * Matrix identifiers (user, room, event, device ids, room aliases, server names, key ids) as records
 * validated by their grammar when built.
 *
 * @see <a href="https://spec.matrix.org/v1.19/appendices/#identifier-grammar">Identifier grammar</a>
 */
@NullMarked
package dev.myelin.core.id;

import org.jspecify.annotations.NullMarked;
