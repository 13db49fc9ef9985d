/**
 * Helpers shared by this module's stores (JSON columns); not exported, so they are no part of the API.
 */
@NullMarked
package dev.myelin.storage.internal;

import org.jspecify.annotations.NullMarked;
