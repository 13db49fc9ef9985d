/**
 * Fresh migrated databases for tests, on SQLite or PostgreSQL, copied from a template.
 */
@NullMarked
package dev.myelin.storage.testing;

import org.jspecify.annotations.NullMarked;
