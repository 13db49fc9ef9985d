/**
 * Forward-only numbered schema migrations for both dialects, applied at start-up.
 */
@NullMarked
package dev.myelin.storage.migration;

import org.jspecify.annotations.NullMarked;
