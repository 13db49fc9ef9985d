/**
 * Stream positions: ids allocated inside write transactions and a committed position that readers never
 * see past an uncommitted one.
 */
@NullMarked
package dev.myelin.storage.stream;

import org.jspecify.annotations.NullMarked;
