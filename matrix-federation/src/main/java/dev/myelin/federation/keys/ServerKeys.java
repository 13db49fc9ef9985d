package dev.myelin.federation.keys;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.myelin.core.crypto.JsonSigning;
import dev.myelin.core.crypto.SignatureVerificationException;
import dev.myelin.core.crypto.VerifyKey;
import dev.myelin.core.id.InvalidIdentifierException;
import dev.myelin.core.id.ServerName;
import dev.myelin.core.id.SigningKeyId;
import dev.myelin.core.pdu.ServerKey;
import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;

/**
 * One server's published keys, as the {@code /_matrix/key/v2/server} answer holds them: the keys
 * it signs with now, the keys it used to sign with, and until when the list may be relied on.
 *
 * @param serverName the server the keys belong to
 * @param verifyKeys the keys valid for requests and events, by key id
 * @param oldVerifyKeys keys valid only for events signed before they expired, by key id
 * @param validUntilTs when the list should be fetched again, in milliseconds since the epoch
 * @see <a href="https://spec.matrix.org/v1.19/server-server-api/#get_matrixkeyv2server">GET /_matrix/key/v2/server</a>
 */
public record ServerKeys(
        ServerName serverName,
        Map<SigningKeyId, VerifyKey> verifyKeys,
        Map<SigningKeyId, OldVerifyKey> oldVerifyKeys,
        long validUntilTs) {

    /**
     * The longest a fetched list is trusted, whatever its {@code valid_until_ts} says, so that a
     * stolen key published with a far future cannot outlive its owner's revocation for long.
     */
    public static final Duration MAX_VALIDITY = Duration.ofDays(7);

    /** Copies the maps, keeping key-id order. */
    public ServerKeys {
        Objects.requireNonNull(serverName, "serverName");
        verifyKeys = Collections.unmodifiableMap(new TreeMap<>(verifyKeys));
        oldVerifyKeys = Collections.unmodifiableMap(new TreeMap<>(oldVerifyKeys));
    }

    /**
     * Reads and checks the answer {@code expected} gave to {@code GET /_matrix/key/v2/server}: it
     * must name {@code expected} as {@code server_name}, every key must be an unpadded base64
     * ed25519 key under a valid key id, {@code valid_until_ts} and each {@code expired_ts} must be
     * integers, and it must carry a signature by {@code expected} with one of the
     * {@code verify_keys} it lists, every such signature verifying. Signatures by other servers
     * (notaries) and by keys not listed are ignored here.
     *
     * @throws InvalidServerKeysException naming what is wrong
     */
    public static ServerKeys parse(JsonNode json, ServerName expected) {
        Objects.requireNonNull(expected, "expected");
        if (!(json instanceof ObjectNode object)) {
            throw new InvalidServerKeysException("key response is not a JSON object");
        }
        JsonNode name = object.get("server_name");
        if (name == null || !name.isTextual()) {
            throw new InvalidServerKeysException("key response has no server_name");
        }
        if (!name.textValue().equals(expected.value())) {
            throw new InvalidServerKeysException(
                    "key response is for " + name.textValue() + ", not for " + expected.value());
        }
        Map<SigningKeyId, VerifyKey> verifyKeys = new LinkedHashMap<>();
        for (Map.Entry<String, JsonNode> entry :
                keyObject(object, "verify_keys", true).properties()) {
            verifyKeys.put(keyId("verify_keys", entry.getKey()), verifyKey("verify_keys", entry));
        }
        Map<SigningKeyId, OldVerifyKey> oldKeys = new LinkedHashMap<>();
        for (Map.Entry<String, JsonNode> entry :
                keyObject(object, "old_verify_keys", false).properties()) {
            long expiredTs =
                    integer(entry.getValue().get("expired_ts"), "old_verify_keys." + entry.getKey() + ".expired_ts");
            oldKeys.put(
                    keyId("old_verify_keys", entry.getKey()),
                    new OldVerifyKey(verifyKey("old_verify_keys", entry), expiredTs));
        }
        long validUntil = integer(object.get("valid_until_ts"), "valid_until_ts");
        try {
            JsonSigning.verifyWithKnownKeys(object, expected.value(), verifyKeys);
        } catch (SignatureVerificationException e) {
            throw new InvalidServerKeysException(
                    "key response is not signed by " + expected.value() + ": " + e.getMessage(), e);
        } catch (RuntimeException e) {
            // canonical JSON refuses the object (a float somewhere): nothing can have signed it
            throw new InvalidServerKeysException("key response cannot be checked: " + e.getMessage(), e);
        }
        return new ServerKeys(expected, verifyKeys, oldKeys, validUntil);
    }

    /**
     * The key published as {@code keyId}, with the time until which it may be used: a current
     * key until {@code valid_until_ts}, an old one until its {@code expired_ts}.
     */
    public Optional<ServerKey> find(SigningKeyId keyId) {
        VerifyKey current = verifyKeys.get(keyId);
        if (current != null) {
            return Optional.of(new ServerKey(current, validUntilTs));
        }
        return Optional.ofNullable(oldVerifyKeys.get(keyId)).map(old -> new ServerKey(old.key(), old.expiredTs()));
    }

    /**
     * When the current keys stop being trusted, fetched at {@code fetchedAtMillis}: the lesser of
     * {@code valid_until_ts} and {@link #MAX_VALIDITY} after the fetch, as the spec requires.
     */
    public long trustedUntil(long fetchedAtMillis) {
        return Math.min(validUntilTs, fetchedAtMillis + MAX_VALIDITY.toMillis());
    }

    /** The unsigned answer: {@code server_name}, {@code verify_keys}, {@code old_verify_keys}, {@code valid_until_ts}. */
    public ObjectNode toJson() {
        ObjectNode json = JsonNodeFactory.instance.objectNode();
        json.put("server_name", serverName.value());
        ObjectNode current = json.putObject("verify_keys");
        verifyKeys.forEach((id, key) -> current.putObject(id.toString()).put("key", key.toBase64()));
        ObjectNode old = json.putObject("old_verify_keys");
        oldVerifyKeys.forEach((id, key) ->
                old.putObject(id.toString()).put("key", key.key().toBase64()).put("expired_ts", key.expiredTs()));
        json.put("valid_until_ts", validUntilTs);
        return json;
    }

    private static ObjectNode keyObject(ObjectNode response, String field, boolean required) {
        JsonNode value = response.get(field);
        if (value == null && !required) {
            return JsonNodeFactory.instance.objectNode();
        }
        if (!(value instanceof ObjectNode object)) {
            throw new InvalidServerKeysException("key response's " + field + " is not a JSON object");
        }
        return object;
    }

    private static SigningKeyId keyId(String field, String id) {
        try {
            return SigningKeyId.parse(id);
        } catch (InvalidIdentifierException e) {
            throw new InvalidServerKeysException(
                    "key response's " + field + " has an invalid key id: " + e.getMessage());
        }
    }

    private static VerifyKey verifyKey(String field, Map.Entry<String, JsonNode> entry) {
        String where = field + "." + entry.getKey();
        JsonNode key = entry.getValue().get("key");
        if (key == null || !key.isTextual()) {
            throw new InvalidServerKeysException("key response's " + where + " has no key");
        }
        try {
            return VerifyKey.fromBase64(key.textValue());
        } catch (IllegalArgumentException e) {
            throw new InvalidServerKeysException(
                    "key response's " + where + " is not a base64 ed25519 key: " + e.getMessage(), e);
        }
    }

    private static long integer(JsonNode value, String where) {
        if (value == null || !value.isIntegralNumber() || !value.canConvertToLong()) {
            throw new InvalidServerKeysException("key response's " + where + " is not an integer");
        }
        return value.longValue();
    }
}
