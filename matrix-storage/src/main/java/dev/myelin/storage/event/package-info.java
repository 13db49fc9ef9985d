/**
 * Reading stored events: by id, by stream position (for sync) and by topological position (for
 * pagination), with the values they are read as. Writes go through {@link dev.myelin.storage.persist}.
 */
@NullMarked
package dev.myelin.storage.event;

import org.jspecify.annotations.NullMarked;
