package dev.myelin.core.crypto;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.myelin.core.id.InvalidIdentifierException;
import dev.myelin.core.id.ServerName;
import dev.myelin.core.id.SigningKeyId;
import dev.myelin.core.json.CanonicalJson;
import java.util.Map;
import java.util.Objects;

/**
 * Signing JSON objects and checking their signatures.
 *
 * <p>The signed bytes are the canonical JSON of the object without {@code signatures} and
 * {@code unsigned}; the signature goes under {@code signatures.<entity>.<key id>}, next to any
 * signatures already there, and {@code unsigned} is kept as it was. Events are signed in their
 * redacted form: see {@code dev.myelin.core.event.EventSigning}, which builds on this class.
 *
 * @see <a href="https://spec.matrix.org/v1.19/appendices/#signing-json">Signing JSON</a>
 */
public final class JsonSigning {
    private JsonSigning() {}

    /** A copy of {@code json} signed by {@code server} with {@code key}. */
    public static ObjectNode sign(ObjectNode json, ServerName server, SigningKey key) {
        return sign(json, server.value(), key);
    }

    /**
     * A copy of {@code json} with {@code key}'s signature added under
     * {@code signatures.<entity>.<key id>}; {@code json} itself is not changed.
     */
    public static ObjectNode sign(ObjectNode json, String entity, SigningKey key) {
        Objects.requireNonNull(entity, "entity");
        ObjectNode signed = json.deepCopy();
        String signature = signature(json, key);
        JsonNode existing = signed.get("signatures");
        ObjectNode signatures = existing instanceof ObjectNode object ? object : signed.putObject("signatures");
        JsonNode forEntity = signatures.get(entity);
        ObjectNode entitySignatures = forEntity instanceof ObjectNode object ? object : signatures.putObject(entity);
        entitySignatures.put(key.keyId().toString(), signature);
        return signed;
    }

    /** The unpadded base64 signature of {@code json} (without signatures and unsigned) by {@code key}. */
    public static String signature(ObjectNode json, SigningKey key) {
        return UnpaddedBase64.encode(key.sign(signedBytes(json)));
    }

    /** The bytes a signature covers: canonical JSON without {@code signatures} and {@code unsigned}. */
    public static byte[] signedBytes(ObjectNode json) {
        ObjectNode stripped = json.deepCopy();
        stripped.remove("signatures");
        stripped.remove("unsigned");
        return CanonicalJson.encode(stripped);
    }

    /** As {@link #verify(ObjectNode, String, SigningKeyId, VerifyKey)} for a server. */
    public static void verify(ObjectNode json, ServerName server, SigningKeyId keyId, VerifyKey key) {
        verify(json, server.value(), keyId, key);
    }

    /**
     * Checks that {@code json} carries a valid signature by {@code entity} with key {@code keyId}.
     *
     * @throws SignatureVerificationException with a distinct message when there is no signature
     *     from {@code entity}, none for {@code keyId}, the signature is not base64, or it does not
     *     verify
     */
    public static void verify(ObjectNode json, String entity, SigningKeyId keyId, VerifyKey key) {
        ObjectNode entitySignatures = signaturesOf(json, entity);
        JsonNode signature = entitySignatures.get(keyId.toString());
        if (signature == null) {
            throw new SignatureVerificationException("no signature from " + entity + " with key " + keyId);
        }
        check(json, entity, keyId, signature, key);
    }

    /**
     * Checks {@code entity}'s signatures with the keys it is known to have, as "Checking for a
     * signature" describes: signatures with unknown algorithms or key ids are ignored, at least one
     * known key must have signed, and every known key's signature must verify.
     *
     * @throws SignatureVerificationException naming the first failure
     */
    public static void verifyWithKnownKeys(ObjectNode json, String entity, Map<SigningKeyId, VerifyKey> keys) {
        ObjectNode entitySignatures = signaturesOf(json, entity);
        int checked = 0;
        for (Map.Entry<String, JsonNode> entry : entitySignatures.properties()) {
            SigningKeyId keyId;
            try {
                keyId = SigningKeyId.parse(entry.getKey());
            } catch (InvalidIdentifierException e) {
                continue;
            }
            VerifyKey key = keys.get(keyId);
            if (key == null || !SigningKeyId.ED25519.equals(keyId.algorithm())) {
                continue;
            }
            check(json, entity, keyId, entry.getValue(), key);
            checked++;
        }
        if (checked == 0) {
            throw new SignatureVerificationException(
                    "no signature from " + entity + " with a known key (known: " + keys.keySet() + ", signed with: "
                            + entitySignatures.properties().stream()
                                    .map(Map.Entry::getKey)
                                    .toList() + ")");
        }
    }

    private static ObjectNode signaturesOf(ObjectNode json, String entity) {
        JsonNode signatures = json.get("signatures");
        JsonNode entitySignatures = signatures == null ? null : signatures.get(entity);
        if (entitySignatures == null || !entitySignatures.isObject()) {
            throw new SignatureVerificationException("no signatures from " + entity);
        }
        return (ObjectNode) entitySignatures;
    }

    private static void check(ObjectNode json, String entity, SigningKeyId keyId, JsonNode signature, VerifyKey key) {
        byte[] bytes;
        try {
            if (!signature.isTextual()) {
                throw new IllegalArgumentException("not a string");
            }
            bytes = UnpaddedBase64.decode(signature.textValue());
        } catch (IllegalArgumentException e) {
            throw new SignatureVerificationException(
                    "signature from " + entity + " with key " + keyId + " is not valid base64", e);
        }
        if (!key.verify(signedBytes(json), bytes)) {
            throw new SignatureVerificationException(
                    "signature from " + entity + " with key " + keyId + " does not verify");
        }
    }
}
