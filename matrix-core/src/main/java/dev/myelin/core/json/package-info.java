/**
 * Canonical JSON: the one serialisation that signatures and hashes are computed over.
 *
 * @see <a href="https://spec.matrix.org/v1.19/appendices/#canonical-json">Canonical JSON</a>
 */
@NullMarked
package dev.myelin.core.json;

import org.jspecify.annotations.NullMarked;
