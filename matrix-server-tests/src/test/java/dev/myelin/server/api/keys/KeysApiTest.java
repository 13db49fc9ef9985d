package dev.myelin.server.api.keys;

import static dev.myelin.server.api.keys.E2eeFixtures.KEYS;
import static dev.myelin.server.api.keys.E2eeFixtures.NODES;
import static dev.myelin.server.api.keys.E2eeFixtures.assertError;
import static dev.myelin.server.api.keys.E2eeFixtures.deviceKeys;
import static dev.myelin.server.api.keys.E2eeFixtures.json;
import static dev.myelin.server.api.keys.E2eeFixtures.newKey;
import static dev.myelin.server.api.keys.E2eeFixtures.queryBody;
import static dev.myelin.server.api.keys.E2eeFixtures.signedKey;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.myelin.core.crypto.SigningKey;
import dev.myelin.testing.HomeserverExtension;
import dev.myelin.testing.TestClient;
import dev.myelin.testing.TestHomeserver;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(HomeserverExtension.class)
class KeysApiTest {

    @Test
    void uploadedDeviceKeysAreQueriedWithTheDeviceDisplayName(TestHomeserver hs) {
        TestClient alice = hs.registerUser("alice", "pw");
        alice.put(
                        "/_matrix/client/v3/devices/" + alice.deviceId(),
                        NODES.objectNode().put("display_name", "Laptop"))
                .expect(200);
        TestClient bob = hs.registerUser("bob");
        SigningKey key = newKey();
        ObjectNode uploaded = deviceKeys(alice, key);
        ObjectNode body = NODES.objectNode();
        body.set("device_keys", uploaded);
        assertThat(alice.post(KEYS + "/upload", body).expect(200).json())
                .isEqualTo(json("{\"one_time_key_counts\":{\"signed_curve25519\":0}}"));

        JsonNode result = bob.post(KEYS + "/query", queryBody(alice.userId(), "@nobody:test.local"))
                .expect(200)
                .json();
        ObjectNode expectedDevice = uploaded.deepCopy();
        expectedDevice.putObject("unsigned").put("device_display_name", "Laptop");
        ObjectNode expected = NODES.objectNode();
        expected.putObject("device_keys").<ObjectNode>putObject(alice.userId()).set(alice.deviceId(), expectedDevice);
        ((ObjectNode) expected.get("device_keys")).putObject("@nobody:test.local");
        expected.putObject("failures");
        expected.putObject("master_keys");
        expected.putObject("self_signing_keys");
        expected.putObject("user_signing_keys");
        assertThat(result).isEqualTo(expected);

        ObjectNode onlyOther = NODES.objectNode();
        onlyOther.putObject("device_keys").putArray(alice.userId()).add("OTHERDEVICE");
        assertThat(bob.post(KEYS + "/query", onlyOther).expect(200).json().at("/device_keys/" + alice.userId()))
                .isEqualTo(json("{}"));
    }

    @Test
    void oneTimeKeysAreCountedAndEachIsClaimedOnceOldestFirst(TestHomeserver hs) {
        TestClient alice = hs.registerUser("alice");
        TestClient bob = hs.registerUser("bob");
        SigningKey key = newKey();
        ObjectNode first = NODES.objectNode();
        first.set("device_keys", deviceKeys(alice, key));
        ObjectNode otks = first.putObject("one_time_keys");
        otks.set("signed_curve25519:AAAAAQ", signedKey(alice, key, "one", false));
        otks.put("curve25519:AAAAAg", "plain");
        assertThat(alice.post(KEYS + "/upload", first).expect(200).json())
                .isEqualTo(json("{\"one_time_key_counts\":{\"signed_curve25519\":1,\"curve25519\":1}}"));
        ObjectNode second = NODES.objectNode();
        second.putObject("one_time_keys").set("signed_curve25519:AAAAAA", signedKey(alice, key, "two", false));
        assertThat(alice.post(KEYS + "/upload", second).expect(200).json())
                .isEqualTo(json("{\"one_time_key_counts\":{\"signed_curve25519\":2,\"curve25519\":1}}"));
        // the same key again is fine; other content under the same id is not
        alice.post(KEYS + "/upload", second).expect(200);
        ObjectNode changed = NODES.objectNode();
        changed.putObject("one_time_keys").set("signed_curve25519:AAAAAA", signedKey(alice, key, "other", false));
        assertError(alice.post(KEYS + "/upload", changed), 400, "M_INVALID_PARAM");

        assertThat(alice.sync(null, Map.of()).get("device_one_time_keys_count"))
                .isEqualTo(json("{\"signed_curve25519\":2,\"curve25519\":1}"));

        ObjectNode claim = NODES.objectNode();
        claim.putObject("one_time_keys").putObject(alice.userId()).put(alice.deviceId(), "signed_curve25519");
        ObjectNode expected = NODES.objectNode();
        expected.putObject("one_time_keys")
                .putObject(alice.userId())
                .putObject(alice.deviceId())
                .set("signed_curve25519:AAAAAQ", signedKey(alice, key, "one", false));
        expected.putObject("failures");
        assertThat(bob.post(KEYS + "/claim", claim).expect(200).json())
                .as("the older upload first")
                .isEqualTo(expected);
        assertThat(bob.post(KEYS + "/claim", claim)
                        .expect(200)
                        .json()
                        .at("/one_time_keys/" + alice.userId().replace("/", "~1") + "/" + alice.deviceId())
                        .fieldNames()
                        .next())
                .isEqualTo("signed_curve25519:AAAAAA");
        assertThat(bob.post(KEYS + "/claim", claim).expect(200).json())
                .isEqualTo(json("{\"one_time_keys\":{},\"failures\":{}}"));
        assertThat(alice.sync(null, Map.of()).get("device_one_time_keys_count"))
                .isEqualTo(json("{\"signed_curve25519\":0,\"curve25519\":1}"));
    }

    @Test
    void concurrentClaimsNeverGetTheSameKey(TestHomeserver hs) throws Exception {
        TestClient alice = hs.registerUser("alice");
        TestClient bob = hs.registerUser("bob");
        SigningKey key = newKey();
        ObjectNode upload = NODES.objectNode();
        upload.set("device_keys", deviceKeys(alice, key));
        ObjectNode otks = upload.putObject("one_time_keys");
        int count = 40;
        for (int i = 0; i < count; i++) {
            otks.set("signed_curve25519:K" + i, signedKey(alice, key, "key" + i, false));
        }
        alice.post(KEYS + "/upload", upload).expect(200);
        ObjectNode claim = NODES.objectNode();
        claim.putObject("one_time_keys").putObject(alice.userId()).put(alice.deviceId(), "signed_curve25519");

        List<Future<JsonNode>> results = new ArrayList<>();
        try (var executor = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int i = 0; i < count + 10; i++) {
                results.add(executor.submit(
                        () -> bob.post(KEYS + "/claim", claim).expect(200).json()));
            }
        }
        Set<String> claimed = new HashSet<>();
        int empty = 0;
        for (Future<JsonNode> result : results) {
            JsonNode forDevice =
                    result.get().path("one_time_keys").path(alice.userId()).path(alice.deviceId());
            if (forDevice.isMissingNode()) {
                empty++;
            } else {
                assertThat(claimed.add(forDevice.fieldNames().next()))
                        .as("claimed twice")
                        .isTrue();
            }
        }
        assertThat(claimed).hasSize(count);
        assertThat(empty).isEqualTo(10);
    }

    @Test
    void theFallbackKeyIsHandedOutWhenOneTimeKeysRunOutAndMarkedUsed(TestHomeserver hs) {
        TestClient alice = hs.registerUser("alice");
        TestClient bob = hs.registerUser("bob");
        SigningKey key = newKey();
        ObjectNode upload = NODES.objectNode();
        upload.set("device_keys", deviceKeys(alice, key));
        upload.putObject("fallback_keys").set("signed_curve25519:FB1", signedKey(alice, key, "fb1", true));
        alice.post(KEYS + "/upload", upload).expect(200);
        assertThat(alice.sync(null, Map.of()).get("device_unused_fallback_key_types"))
                .isEqualTo(json("[\"signed_curve25519\"]"));

        ObjectNode claim = NODES.objectNode();
        claim.putObject("one_time_keys").putObject(alice.userId()).put(alice.deviceId(), "signed_curve25519");
        for (int i = 0; i < 2; i++) {
            JsonNode result = bob.post(KEYS + "/claim", claim).expect(200).json();
            assertThat(result.path("one_time_keys").path(alice.userId()).path(alice.deviceId()))
                    .as("fallback keys are not deleted")
                    .isEqualTo(NODES.objectNode().set("signed_curve25519:FB1", signedKey(alice, key, "fb1", true)));
        }
        assertThat(alice.sync(null, Map.of()).get("device_unused_fallback_key_types"))
                .isEqualTo(json("[]"));

        // re-uploading the same key keeps it used; a new one replaces it, unused
        alice.post(KEYS + "/upload", upload).expect(200);
        assertThat(alice.sync(null, Map.of()).get("device_unused_fallback_key_types"))
                .isEqualTo(json("[]"));
        ObjectNode replace = NODES.objectNode();
        replace.putObject("fallback_keys").set("signed_curve25519:FB2", signedKey(alice, key, "fb2", true));
        alice.post(KEYS + "/upload", replace).expect(200);
        assertThat(alice.sync(null, Map.of()).get("device_unused_fallback_key_types"))
                .isEqualTo(json("[\"signed_curve25519\"]"));
        assertThat(bob.post(KEYS + "/claim", claim)
                        .expect(200)
                        .json()
                        .path("one_time_keys")
                        .path(alice.userId())
                        .path(alice.deviceId())
                        .has("signed_curve25519:FB2"))
                .isTrue();
        ObjectNode two = NODES.objectNode();
        two.putObject("fallback_keys").put("curve25519:A", "a").put("curve25519:B", "b");
        assertError(alice.post(KEYS + "/upload", two), 400, "M_INVALID_PARAM");
    }

    @Test
    void rejectsDeviceKeysOfAnotherUserOrDeviceOrOfTheWrongShape(TestHomeserver hs) {
        TestClient alice = hs.registerUser("alice", "pw");
        TestClient bob = hs.registerUser("bob");
        TestClient phone = hs.login("alice", "pw");
        SigningKey key = newKey();
        assertError(upload(alice, deviceKeys(bob, key)), 400, "M_INVALID_PARAM");
        assertError(upload(alice, deviceKeys(phone, key)), 400, "M_INVALID_PARAM");
        for (String field : List.of("user_id", "device_id", "algorithms", "keys", "signatures")) {
            ObjectNode missing = deviceKeys(alice, key);
            missing.remove(field);
            assertError(upload(alice, missing), 400, "M_BAD_JSON");
        }
        ObjectNode badAlgorithms = deviceKeys(alice, key);
        badAlgorithms.put("algorithms", "m.megolm.v1.aes-sha2");
        assertError(upload(alice, badAlgorithms), 400, "M_BAD_JSON");
        ObjectNode numberKey = deviceKeys(alice, key);
        ((ObjectNode) numberKey.get("keys")).put("curve25519:" + alice.deviceId(), 5);
        assertError(upload(alice, numberKey), 400, "M_BAD_JSON");
        ObjectNode nameless = deviceKeys(alice, key);
        ((ObjectNode) nameless.get("keys")).put("curve25519", "x");
        assertError(upload(alice, nameless), 400, "M_INVALID_PARAM");
        ObjectNode flatSignatures = deviceKeys(alice, key);
        flatSignatures.putObject("signatures").put(alice.userId(), "sig");
        assertError(upload(alice, flatSignatures), 400, "M_BAD_JSON");
        assertError(alice.post(KEYS + "/upload", json("{\"device_keys\":[]}")), 400, "M_BAD_JSON");
        assertError(alice.post(KEYS + "/upload", "{"), 400, "M_NOT_JSON");

        assertThat(bob.post(KEYS + "/query", queryBody(alice.userId()))
                        .expect(200)
                        .json()
                        .at("/device_keys/" + alice.userId()))
                .as("nothing was stored")
                .isEqualTo(json("{}"));
    }

    @Test
    void storesDeviceKeysAsSentWithoutJudgingTheirSignatures(TestHomeserver hs) {
        // Clients verify device signatures against keys they trust; the server keeps what the device
        // sent, whatever its signatures and key ids, as other homeservers do.
        TestClient alice = hs.registerUser("alice");
        TestClient bob = hs.registerUser("bob");
        ObjectNode keys = (ObjectNode) json("""
                {"user_id":"%s","device_id":"%s","algorithms":["m.olm.v1.curve25519-aes-sha2"],
                 "keys":{"ed25519:test":"not-a-key","curve25519:%s":"also-not-a-key"},
                 "signatures":{}}""".formatted(alice.userId(), alice.deviceId(), alice.deviceId()));
        ObjectNode body = NODES.objectNode();
        body.set("device_keys", keys);
        body.putObject("one_time_keys").put("ed25519:test", "k1").set("signed_curve25519:A", json("""
                {"key":"k2","signatures":{"%s":{"ed25519:%s":"forged"}}}""".formatted(
                        alice.userId(), alice.deviceId())));
        assertThat(alice.post(KEYS + "/upload", body).expect(200).json())
                .isEqualTo(json("{\"one_time_key_counts\":{\"signed_curve25519\":1,\"ed25519\":1}}"));
        assertThat(bob.post(KEYS + "/query", queryBody(alice.userId()))
                        .expect(200)
                        .json()
                        .at("/device_keys/" + alice.userId() + "/" + alice.deviceId() + "/keys"))
                .isEqualTo(keys.get("keys"));
    }

    @Test
    void rejectsMalformedOneTimeKeys(TestHomeserver hs) {
        TestClient alice = hs.registerUser("alice");
        SigningKey key = E2eeFixtures.uploadDeviceKeys(alice);
        for (String name : List.of("nocolon", ":AAAA", "signed_curve25519:", "bad alg:AAAA", "a:b:c")) {
            ObjectNode body = NODES.objectNode();
            body.putObject("one_time_keys").put(name, "k");
            assertError(alice.post(KEYS + "/upload", body), 400, "M_INVALID_PARAM");
        }
        assertError(alice.post(KEYS + "/upload", json("{\"one_time_keys\":{\"curve25519:A\":5}}")), 400, "M_BAD_JSON");
        assertError(
                alice.post(KEYS + "/upload", json("{\"one_time_keys\":{\"signed_curve25519:A\":{}}}")),
                400,
                "M_BAD_JSON");
        assertError(alice.post(KEYS + "/upload", json("{\"one_time_keys\":[]}")), 400, "M_BAD_JSON");
        assertError(alice.post(KEYS + "/upload", json("{\"fallback_keys\":\"x\"}")), 400, "M_BAD_JSON");
        ObjectNode good = NODES.objectNode();
        good.putObject("one_time_keys").set("signed_curve25519:A", signedKey(alice, key, "k", false));
        assertThat(alice.post(KEYS + "/upload", good).expect(200).json())
                .isEqualTo(json("{\"one_time_key_counts\":{\"signed_curve25519\":1}}"));
    }

    @Test
    void unreachableServersAreFailuresAndUnknownUsersAreLeftOut(TestHomeserver hs) {
        TestClient alice = hs.registerUser("alice");
        ObjectNode claim = NODES.objectNode();
        ObjectNode wanted = claim.putObject("one_time_keys");
        wanted.putObject("@bob:remote.example").put("DEV", "signed_curve25519");
        wanted.putObject("@ghost:test.local").put("DEV", "signed_curve25519");
        // remote.example cannot be resolved here, so its users are a 503 failure with the reason
        JsonNode claimed = alice.post(KEYS + "/claim", claim).expect(200).json();
        assertThat(claimed.get("one_time_keys")).isEqualTo(json("{}"));
        assertThat(claimed.get("failures").size()).isEqualTo(1);
        assertThat(claimed.at("/failures/remote.example/status").asInt()).isEqualTo(503);
        assertThat(claimed.at("/failures/remote.example/message").asText()).contains("remote.example");
        JsonNode query = alice.post(KEYS + "/query", queryBody("@bob:remote.example"))
                .expect(200)
                .json();
        assertThat(query.get("failures").size()).isEqualTo(1);
        assertThat(query.at("/failures/remote.example/status").asInt()).isEqualTo(503);
        assertThat(query.get("device_keys")).isEqualTo(json("{}"));

        assertError(alice.post(KEYS + "/query", json("{}")), 400, "M_MISSING_PARAM");
        assertError(alice.post(KEYS + "/query", json("{\"device_keys\":{\"not-a-user\":[]}}")), 400, "M_INVALID_PARAM");
        assertError(
                alice.post(KEYS + "/query", json("{\"device_keys\":{\"@a:test.local\":\"DEV\"}}")), 400, "M_BAD_JSON");
        assertError(alice.post(KEYS + "/query", json("{\"device_keys\":{\"@a:test.local\":[1]}}")), 400, "M_BAD_JSON");
        assertError(alice.post(KEYS + "/claim", json("{}")), 400, "M_MISSING_PARAM");
        assertError(
                alice.post(KEYS + "/claim", json("{\"one_time_keys\":{\"@a:test.local\":[\"DEV\"]}}")),
                400,
                "M_BAD_JSON");
        assertError(
                alice.post(KEYS + "/claim", json("{\"one_time_keys\":{\"@a:test.local\":{\"DEV\":1}}}")),
                400,
                "M_BAD_JSON");
        assertError(hs.anonymous().post(KEYS + "/claim", json("{\"one_time_keys\":{}}")), 401, "M_MISSING_TOKEN");
    }

    @Test
    void nullsAndNonJsonInQueryAndClaimBodiesAreRejected(TestHomeserver hs) {
        TestClient alice = hs.registerUser("alice");
        assertError(alice.post(KEYS + "/query", json("{\"device_keys\":{\"@a:test.local\":null}}")), 400, "M_BAD_JSON");
        assertError(
                alice.post(KEYS + "/query", json("{\"device_keys\":{\"@a:test.local\":[null]}}")), 400, "M_BAD_JSON");
        assertError(alice.post(KEYS + "/query", json("{\"device_keys\":[]}")), 400, "M_BAD_JSON");
        assertError(alice.post(KEYS + "/query", "{"), 400, "M_NOT_JSON");
        assertError(
                alice.post(KEYS + "/claim", json("{\"one_time_keys\":{\"@a:test.local\":null}}")), 400, "M_BAD_JSON");
        assertError(
                alice.post(KEYS + "/claim", json("{\"one_time_keys\":{\"@a:test.local\":{\"DEV\":null}}}")),
                400,
                "M_BAD_JSON");
        assertError(
                alice.post(KEYS + "/claim", json("{\"one_time_keys\":{\"not-a-user\":{}}}")), 400, "M_INVALID_PARAM");
        assertError(alice.post(KEYS + "/claim", "[]"), 400, "M_BAD_JSON");
        assertThat(alice.post(KEYS + "/upload", json("{\"one_time_keys\":null}"))
                        .expect(200)
                        .json()
                        .at("/one_time_key_counts/signed_curve25519")
                        .asInt())
                .isZero();
    }

    @Test
    void deletingADeviceDeletesItsKeys(TestHomeserver hs) {
        TestClient alice = hs.registerUser("alice", "pw");
        TestClient phone = hs.login("alice", "pw");
        E2eeFixtures.uploadDeviceKeys(alice);
        E2eeFixtures.uploadDeviceKeys(phone);
        assertThat(alice.post(KEYS + "/query", queryBody(alice.userId()))
                        .json()
                        .at("/device_keys/" + alice.userId())
                        .size())
                .isEqualTo(2);
        phone.post("/_matrix/client/v3/logout", NODES.objectNode()).expect(200);
        JsonNode devices =
                alice.post(KEYS + "/query", queryBody(alice.userId())).json().at("/device_keys/" + alice.userId());
        assertThat(devices.size()).isEqualTo(1);
        assertThat(devices.has(alice.deviceId())).isTrue();
    }

    private static dev.myelin.testing.TestResponse upload(TestClient client, ObjectNode deviceKeys) {
        ObjectNode body = NODES.objectNode();
        body.set("device_keys", deviceKeys);
        return client.post(KEYS + "/upload", body);
    }
}
