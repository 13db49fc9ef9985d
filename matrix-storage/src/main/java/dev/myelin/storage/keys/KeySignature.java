package dev.myelin.storage.keys;

import dev.myelin.core.id.UserId;

/**
 * A signature uploaded with {@code /keys/signatures/upload}: {@code signer}'s signature with key
 * {@code signerKeyId} (such as {@code ed25519:<public key>}) over the key {@code targetKey} (a device id or
 * a cross-signing public key) of {@code target}.
 *
 * @see <a href="https://spec.matrix.org/v1.19/client-server-api/#post_matrixclientv3keyssignaturesupload">POST /keys/signatures/upload</a>
 */
public record KeySignature(UserId target, String targetKey, UserId signer, String signerKeyId, String signature) {}
