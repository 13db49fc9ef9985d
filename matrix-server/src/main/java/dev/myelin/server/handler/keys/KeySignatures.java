package dev.myelin.server.handler.keys;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.myelin.core.crypto.JsonSigning;
import dev.myelin.core.crypto.UnpaddedBase64;
import dev.myelin.core.crypto.VerifyKey;
import java.util.Optional;

/**
 * Checks ed25519 signatures on key objects. Key ids of end-to-end keys are not server key ids: a
 * cross-signing key's id is {@code ed25519:<public key>}, whose base64 may hold {@code +} and {@code /},
 * so they are handled as plain strings here.
 *
 * @see <a href="https://spec.matrix.org/v1.19/appendices/#checking-for-a-signature">Checking for a signature</a>
 */
final class KeySignatures {
    static final String ED25519 = "ed25519:";

    private KeySignatures() {}

    /** The signature of {@code signer} with {@code keyId} on {@code json}, if there is one and it is a string. */
    static Optional<String> signature(ObjectNode json, String signer, String keyId) {
        JsonNode value = json.path("signatures").path(signer).get(keyId);
        return value != null && value.isTextual() ? Optional.of(value.textValue()) : Optional.empty();
    }

    /**
     * Whether {@code signature} is a valid signature of {@code json} (without {@code signatures} and
     * {@code unsigned}) by the ed25519 public key {@code publicKey} (unpadded base64). Malformed keys
     * and signatures are simply invalid.
     */
    static boolean verifies(ObjectNode json, String signature, String publicKey) {
        try {
            VerifyKey key = VerifyKey.fromBase64(publicKey);
            return key.verify(JsonSigning.signedBytes(json), UnpaddedBase64.decode(signature));
        } catch (RuntimeException e) {
            return false;
        }
    }

    /** Whether {@code json} carries a valid signature by {@code signer} with the ed25519 key {@code publicKey}. */
    static boolean signedBy(ObjectNode json, String signer, String keyId, String publicKey) {
        return signature(json, signer, keyId)
                .map(s -> verifies(json, s, publicKey))
                .orElse(false);
    }

    /** {@code json} without {@code signatures} and {@code unsigned}: what two copies of one key must share. */
    static ObjectNode signedContent(ObjectNode json) {
        ObjectNode copy = json.deepCopy();
        copy.remove("signatures");
        copy.remove("unsigned");
        return copy;
    }
}
