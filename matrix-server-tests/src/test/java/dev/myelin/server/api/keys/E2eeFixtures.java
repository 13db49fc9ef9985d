package dev.myelin.server.api.keys;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.myelin.core.crypto.JsonSigning;
import dev.myelin.core.crypto.SigningKey;
import dev.myelin.testing.TestClient;
import dev.myelin.testing.TestResponse;

/** Keys signed the way clients sign them, for the end-to-end encryption API tests. */
final class E2eeFixtures {
    static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    static final String KEYS = "/_matrix/client/v3/keys";
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private E2eeFixtures() {}

    /** A fresh ed25519 key pair (as a device or a cross-signing key would hold). */
    static SigningKey newKey() {
        return SigningKey.generate("k");
    }

    static String publicKey(SigningKey key) {
        return key.verifyKey().toBase64();
    }

    /** A copy of {@code json} with {@code key}'s signature under {@code signatures.<user>.<keyId>}. */
    static ObjectNode sign(ObjectNode json, String user, String keyId, SigningKey key) {
        ObjectNode copy = json.deepCopy();
        String signature = JsonSigning.signature(copy, key);
        ObjectNode signatures =
                copy.has("signatures") ? (ObjectNode) copy.get("signatures") : copy.putObject("signatures");
        ObjectNode byUser = signatures.has(user) ? (ObjectNode) signatures.get(user) : signatures.putObject(user);
        byUser.put(keyId, signature);
        return copy;
    }

    /** The device keys of {@code client}'s device, self-signed with {@code key}. */
    static ObjectNode deviceKeys(TestClient client, SigningKey key) {
        String device = client.deviceId();
        ObjectNode keys = NODES.objectNode().put("user_id", client.userId()).put("device_id", device);
        keys.putArray("algorithms").add("m.olm.v1.curve25519-aes-sha2").add("m.megolm.v1.aes-sha2");
        keys.putObject("keys").put("curve25519:" + device, "curve+" + device).put("ed25519:" + device, publicKey(key));
        return sign(keys, client.userId(), "ed25519:" + device, key);
    }

    /** A signed_curve25519 key object signed by the device key. */
    static ObjectNode signedKey(TestClient client, SigningKey deviceKey, String value, boolean fallback) {
        ObjectNode key = NODES.objectNode().put("key", value);
        if (fallback) {
            key.put("fallback", true);
        }
        return sign(key, client.userId(), "ed25519:" + client.deviceId(), deviceKey);
    }

    /** Uploads {@code client}'s device keys, signed with a new key; returns that key. */
    static SigningKey uploadDeviceKeys(TestClient client) {
        SigningKey key = newKey();
        ObjectNode body = NODES.objectNode();
        body.set("device_keys", deviceKeys(client, key));
        client.post(KEYS + "/upload", body).expect(200);
        return key;
    }

    /** A cross-signing key object of {@code user} for {@code usage}, signed by {@code signer} when not null. */
    static ObjectNode crossSigningKey(String user, String usage, SigningKey key, SigningKey signer) {
        ObjectNode json = NODES.objectNode().put("user_id", user);
        json.putArray("usage").add(usage);
        json.putObject("keys").put("ed25519:" + publicKey(key), publicKey(key));
        return signer == null ? json : sign(json, user, "ed25519:" + publicKey(signer), signer);
    }

    static ObjectNode queryBody(String... users) {
        ObjectNode body = NODES.objectNode();
        ObjectNode wanted = body.putObject("device_keys");
        for (String user : users) {
            wanted.putArray(user);
        }
        return body;
    }

    static JsonNode json(String text) {
        try {
            return MAPPER.readTree(text);
        } catch (Exception e) {
            throw new IllegalArgumentException(e);
        }
    }

    static void assertError(TestResponse response, int status, String errcode) {
        assertThat(response.status()).as(response.body()).isEqualTo(status);
        assertThat(response.errcode()).as(response.body()).isEqualTo(errcode);
    }
}
