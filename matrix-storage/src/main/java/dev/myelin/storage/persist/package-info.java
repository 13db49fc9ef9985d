/**
 * Flows that write several stores in one transaction, above the single-table stores: persisting events
 * (with their edges, state groups, current state, relations and stream position, group-committed), and
 * device changes that span the key and device-list stores. Work that may only run inside the persister's
 * transaction is package-private here.
 */
@NullMarked
package dev.myelin.storage.persist;

import org.jspecify.annotations.NullMarked;
