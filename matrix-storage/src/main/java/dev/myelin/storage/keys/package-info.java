/**
 * End-to-end encryption keys: device keys, one-time and fallback keys, cross-signing keys and signatures.
 *
 * @see <a href="https://spec.matrix.org/v1.19/client-server-api/#end-to-end-encryption">End-to-End Encryption</a>
 */
@NullMarked
package dev.myelin.storage.keys;

import org.jspecify.annotations.NullMarked;
