/**
 * The database: SQLite or PostgreSQL behind one {@link dev.myelin.storage.Database} with transactions as
 * lambdas, its configuration, and {@link dev.myelin.storage.StorageException}, the only exception type
 * this module throws for database failures.
 */
@NullMarked
package dev.myelin.storage;

import org.jspecify.annotations.NullMarked;
