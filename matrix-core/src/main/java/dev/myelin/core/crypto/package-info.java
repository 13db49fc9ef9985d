/**
 * Ed25519 signing and verification of canonical JSON, signing keys and their files, and unpadded base64.
 *
 * @see <a href="https://spec.matrix.org/v1.19/appendices/#signing-json">Signing JSON</a>
 */
@NullMarked
package dev.myelin.core.crypto;

import org.jspecify.annotations.NullMarked;
