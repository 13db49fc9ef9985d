package dev.myelin.core.auth;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.Signature;
import java.security.spec.X509EncodedKeySpec;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Verifies third-party invite signatures with the JDK's Ed25519. */
final class Ed25519InviteVerifier implements ThirdPartyInviteVerifier {
    /** DER prefix of an X.509 SubjectPublicKeyInfo for a raw 32-byte Ed25519 key. */
    private static final byte[] X509_PREFIX = {0x30, 0x2a, 0x30, 0x05, 0x06, 0x03, 0x2b, 0x65, 0x70, 0x03, 0x21, 0x00};

    @Override
    public boolean anySignatureValid(ObjectNode signed, List<String> publicKeys) {
        JsonNode signatures = signed.get("signatures");
        if (signatures == null || !signatures.isObject()) {
            return false;
        }
        ObjectNode payload = signed.deepCopy();
        payload.remove("signatures");
        payload.remove("unsigned");
        Optional<String> canonical = SignedBlockJson.encode(payload);
        if (canonical.isEmpty()) {
            return false;
        }
        byte[] message = canonical.get().getBytes(StandardCharsets.UTF_8);
        List<PublicKey> keys = new ArrayList<>();
        for (String key : publicKeys) {
            decodeKey(key).ifPresent(keys::add);
        }
        for (JsonNode byServer : signatures) {
            if (!byServer.isObject()) {
                continue;
            }
            for (Map.Entry<String, JsonNode> entry : byServer.properties()) {
                Optional<byte[]> signature = entry.getValue().isTextual()
                        ? decode(entry.getValue().textValue()) : Optional.empty();
                if (signature.isEmpty()) {
                    continue;
                }
                for (PublicKey key : keys) {
                    if (verifies(key, message, signature.get())) {
                        return true;
                    }
                }
            }
        }
        return false;
    }

    private static boolean verifies(PublicKey key, byte[] message, byte[] signature) {
        try {
            Signature verifier = Signature.getInstance("Ed25519");
            verifier.initVerify(key);
            verifier.update(message);
            return verifier.verify(signature);
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            return false;
        }
    }

    private static Optional<PublicKey> decodeKey(String base64) {
        Optional<byte[]> raw = decode(base64);
        if (raw.isEmpty() || raw.get().length != 32) {
            return Optional.empty();
        }
        byte[] der = new byte[X509_PREFIX.length + 32];
        System.arraycopy(X509_PREFIX, 0, der, 0, X509_PREFIX.length);
        System.arraycopy(raw.get(), 0, der, X509_PREFIX.length, 32);
        try {
            return Optional.of(KeyFactory.getInstance("Ed25519").generatePublic(new X509EncodedKeySpec(der)));
        } catch (GeneralSecurityException e) {
            return Optional.empty();
        }
    }

    /** Decodes unpadded (or padded) base64 in either alphabet. */
    private static Optional<byte[]> decode(String base64) {
        try {
            return Optional.of(Base64.getDecoder().decode(base64.replace('-', '+').replace('_', '/')));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }
}
