/**
 * The index of event relations ({@code m.relates_to}) and thread summaries.
 *
 * @see <a href="https://spec.matrix.org/v1.19/client-server-api/#forming-relationships-between-events">Forming relationships between events</a>
 */
@NullMarked
package dev.myelin.storage.relation;

import org.jspecify.annotations.NullMarked;
