package dev.myelin.core.auth;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.myelin.core.crypto.JsonSigning;
import dev.myelin.core.crypto.UnpaddedBase64;
import dev.myelin.core.crypto.VerifyKey;
import dev.myelin.core.json.CanonicalJsonException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Verifies third-party invite signatures with the shared canonical JSON and Ed25519 code. */
final class Ed25519InviteVerifier implements ThirdPartyInviteVerifier {

    @Override
    public boolean anySignatureValid(ObjectNode signed, List<String> publicKeys) {
        JsonNode signatures = signed.get("signatures");
        if (signatures == null || !signatures.isObject()) {
            return false;
        }
        byte[] message;
        try {
            message = JsonSigning.signedBytes(signed);
        } catch (CanonicalJsonException e) {
            return false;
        }
        List<VerifyKey> keys = new ArrayList<>();
        for (String key : publicKeys) {
            decode(key)
                    .filter(raw -> raw.length == 32)
                    .map(VerifyKey::fromBytes)
                    .ifPresent(keys::add);
        }
        for (JsonNode byServer : signatures) {
            if (!byServer.isObject()) {
                continue;
            }
            for (Map.Entry<String, JsonNode> entry : byServer.properties()) {
                Optional<byte[]> signature =
                        entry.getValue().isTextual() ? decode(entry.getValue().textValue()) : Optional.empty();
                if (signature.isEmpty()) {
                    continue;
                }
                for (VerifyKey key : keys) {
                    if (key.verify(message, signature.get())) {
                        return true;
                    }
                }
            }
        }
        return false;
    }

    /** Third-party identity servers publish keys in either base64 alphabet. */
    private static Optional<byte[]> decode(String base64) {
        try {
            return Optional.of(
                    base64.contains("-") || base64.contains("_")
                            ? UnpaddedBase64.decodeUrlSafe(base64)
                            : UnpaddedBase64.decode(base64));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }
}
