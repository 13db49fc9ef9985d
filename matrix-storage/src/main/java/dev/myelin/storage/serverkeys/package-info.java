/**
 * Other servers' signing keys as fetched from them or through a notary: the keys, and the signed
 * key responses they came in.
 *
 * @see <a href="https://spec.matrix.org/v1.19/server-server-api/#retrieving-server-keys">Retrieving server keys</a>
 */
@NullMarked
package dev.myelin.storage.serverkeys;

import org.jspecify.annotations.NullMarked;
