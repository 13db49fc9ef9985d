package dev.myelin.server.api.keys;

import static dev.myelin.server.api.keys.E2eeFixtures.KEYS;
import static dev.myelin.server.api.keys.E2eeFixtures.NODES;
import static dev.myelin.server.api.keys.E2eeFixtures.assertError;
import static dev.myelin.server.api.keys.E2eeFixtures.crossSigningKey;
import static dev.myelin.server.api.keys.E2eeFixtures.deviceKeys;
import static dev.myelin.server.api.keys.E2eeFixtures.json;
import static dev.myelin.server.api.keys.E2eeFixtures.newKey;
import static dev.myelin.server.api.keys.E2eeFixtures.publicKey;
import static dev.myelin.server.api.keys.E2eeFixtures.queryBody;
import static dev.myelin.server.api.keys.E2eeFixtures.sign;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.myelin.core.crypto.SigningKey;
import dev.myelin.testing.HomeserverExtension;
import dev.myelin.testing.OverrideConfig;
import dev.myelin.testing.TestClient;
import dev.myelin.testing.TestHomeserver;
import dev.myelin.testing.TestResponse;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(HomeserverExtension.class)
class CrossSigningApiTest {
    private static final String UPLOAD = KEYS + "/device_signing/upload";
    private static final String SIGNATURES = KEYS + "/signatures/upload";

    /** One user's three cross-signing keys. */
    record CrossSigningKeys(SigningKey master, SigningKey selfSigning, SigningKey userSigning, ObjectNode body) {
        static CrossSigningKeys create(TestClient client) {
            SigningKey master = newKey();
            SigningKey selfSigning = newKey();
            SigningKey userSigning = newKey();
            ObjectNode body = NODES.objectNode();
            body.set("master_key", crossSigningKey(client.userId(), "master", master, null));
            body.set("self_signing_key", crossSigningKey(client.userId(), "self_signing", selfSigning, master));
            body.set("user_signing_key", crossSigningKey(client.userId(), "user_signing", userSigning, master));
            return new CrossSigningKeys(master, selfSigning, userSigning, body);
        }
    }

    @Test
    void theFirstUploadNeedsNoAuthAndOthersSeeAllButTheUserSigningKey(TestHomeserver hs) {
        TestClient alice = hs.registerUser("alice", "pw");
        TestClient bob = hs.registerUser("bob");
        CrossSigningKeys keys = CrossSigningKeys.create(alice);
        assertThat(alice.post(UPLOAD, keys.body()).expect(200).json()).isEqualTo(json("{}"));

        JsonNode own = alice.post(KEYS + "/query", queryBody(alice.userId()))
                .expect(200)
                .json();
        assertThat(own.get("master_keys"))
                .isEqualTo(NODES.objectNode().set(alice.userId(), keys.body().get("master_key")));
        assertThat(own.get("self_signing_keys"))
                .isEqualTo(NODES.objectNode().set(alice.userId(), keys.body().get("self_signing_key")));
        assertThat(own.get("user_signing_keys"))
                .isEqualTo(NODES.objectNode().set(alice.userId(), keys.body().get("user_signing_key")));

        JsonNode other =
                bob.post(KEYS + "/query", queryBody(alice.userId())).expect(200).json();
        assertThat(other.get("master_keys")).isEqualTo(own.get("master_keys"));
        assertThat(other.get("self_signing_keys")).isEqualTo(own.get("self_signing_keys"));
        assertThat(other.get("user_signing_keys")).isEqualTo(json("{}"));
    }

    @Test
    void aNewUserSigningKeyIsNewsToTheOwnerOnly(TestHomeserver hs) {
        TestClient alice = hs.registerUser("alice", "pw");
        TestClient bob = hs.registerUser("bob");
        String room = alice.createRoom(NODES.objectNode().put("preset", "public_chat"));
        bob.join(room).expect(200);
        CrossSigningKeys first = CrossSigningKeys.create(alice);
        alice.post(UPLOAD, first.body()).expect(200);
        String bobSince = bob.sync(null, java.util.Map.of()).get("next_batch").asText();
        String aliceSince =
                alice.sync(null, java.util.Map.of()).get("next_batch").asText();

        CrossSigningKeys second = CrossSigningKeys.create(alice);
        ObjectNode userSigningOnly = NODES.objectNode();
        userSigningOnly.set(
                "user_signing_key", crossSigningKey(alice.userId(), "user_signing", newKey(), first.master()));
        userSigningOnly.set("auth", passwordAuth(alice, "pw", null));
        alice.post(UPLOAD, userSigningOnly).expect(200);
        assertThat(bob.sync(bobSince, java.util.Map.of()).at("/device_lists/changed"))
                .isEqualTo(json("[]"));
        assertThat(alice.sync(aliceSince, java.util.Map.of()).at("/device_lists/changed"))
                .isEqualTo(json("[\"@alice:test.local\"]"));

        // a new self-signing key is everyone's news
        ObjectNode selfSigning = NODES.objectNode();
        selfSigning.set("self_signing_key", second.body().get("self_signing_key"));
        selfSigning.set("master_key", second.body().get("master_key"));
        selfSigning.set("auth", passwordAuth(alice, "pw", null));
        alice.post(UPLOAD, selfSigning).expect(200);
        assertThat(bob.sync(bobSince, java.util.Map.of()).at("/device_lists/changed"))
                .isEqualTo(json("[\"@alice:test.local\"]"));
    }

    @Test
    void signingAnotherUsersMasterKeyIsNewsToTheSignerOnly(TestHomeserver hs) {
        TestClient alice = hs.registerUser("alice", "pw");
        TestClient bob = hs.registerUser("bob", "pw");
        TestClient carol = hs.registerUser("carol");
        String room = alice.createRoom(NODES.objectNode().put("preset", "public_chat"));
        bob.join(room).expect(200);
        carol.join(room).expect(200);
        CrossSigningKeys aliceKeys = CrossSigningKeys.create(alice);
        alice.post(UPLOAD, aliceKeys.body()).expect(200);
        CrossSigningKeys bobKeys = CrossSigningKeys.create(bob);
        bob.post(UPLOAD, bobKeys.body()).expect(200);
        String aliceSince =
                alice.sync(null, java.util.Map.of()).get("next_batch").asText();
        String carolSince =
                carol.sync(null, java.util.Map.of()).get("next_batch").asText();
        String bobSince = bob.sync(null, java.util.Map.of()).get("next_batch").asText();

        String usk = "ed25519:" + publicKey(aliceKeys.userSigning());
        ObjectNode body = NODES.objectNode();
        body.putObject(bob.userId())
                .set(
                        publicKey(bobKeys.master()),
                        sign(
                                (ObjectNode) bobKeys.body().get("master_key"),
                                alice.userId(),
                                usk,
                                aliceKeys.userSigning()));
        assertThat(alice.post(SIGNATURES, body).expect(200).json()).isEqualTo(json("{\"failures\":{}}"));

        assertThat(alice.sync(aliceSince, java.util.Map.of()).at("/device_lists/changed"))
                .isEqualTo(json("[\"@bob:test.local\"]"));
        assertThat(carol.sync(carolSince, java.util.Map.of()).at("/device_lists/changed"))
                .isEqualTo(json("[]"));
        assertThat(bob.sync(bobSince, java.util.Map.of()).at("/device_lists/changed"))
                .isEqualTo(json("[]"));
    }

    @Test
    void theKeyEndpointsAreServedUnderUnstableToo(TestHomeserver hs) {
        TestClient alice = hs.registerUser("alice", "pw");
        CrossSigningKeys keys = CrossSigningKeys.create(alice);
        String unstable = "/_matrix/client/unstable/keys";
        assertThat(alice.post(unstable + "/device_signing/upload", keys.body())
                        .expect(200)
                        .json())
                .isEqualTo(json("{}"));
        assertThat(alice.post(unstable + "/query", queryBody(alice.userId()))
                        .expect(200)
                        .json()
                        .at("/master_keys/" + alice.userId()))
                .isEqualTo(keys.body().get("master_key"));
        assertThat(alice.post(unstable + "/signatures/upload", json("{}"))
                        .expect(200)
                        .json())
                .isEqualTo(json("{\"failures\":{}}"));

        // a replacement needs the password there as well, and the session continues under the same path
        CrossSigningKeys second = CrossSigningKeys.create(alice);
        TestResponse challenge = alice.post(unstable + "/device_signing/upload", second.body());
        assertThat(challenge.status()).isEqualTo(401);
        ObjectNode authed = second.body().deepCopy();
        authed.set(
                "auth",
                passwordAuth(alice, "pw", challenge.json().get("session").asText()));
        alice.post(unstable + "/device_signing/upload", authed).expect(200);
        assertError(alice.post(unstable + "/device_signing/upload", "{"), 400, "M_NOT_JSON");
        assertThat(alice.get("/_matrix/client/unstable/keys/nothing/here").errcode())
                .isEqualTo("M_UNRECOGNIZED");
    }

    @Test
    void replacingKeysNeedsThePasswordButRepeatingThemDoesNot(TestHomeserver hs) {
        TestClient alice = hs.registerUser("alice", "pw");
        CrossSigningKeys first = CrossSigningKeys.create(alice);
        alice.post(UPLOAD, first.body()).expect(200);
        alice.post(UPLOAD, first.body()).expect(200); // identical: idempotent, no auth

        CrossSigningKeys second = CrossSigningKeys.create(alice);
        TestResponse challenge = alice.post(UPLOAD, second.body());
        assertThat(challenge.status()).isEqualTo(401);
        assertThat(challenge.json().at("/flows/0/stages/0").asText()).isEqualTo("m.login.password");
        ObjectNode expected = NODES.objectNode();
        expected.putArray("flows").addObject().putArray("stages").add("m.login.password");
        expected.putObject("params");
        expected.put("session", challenge.json().path("session").asText());
        assertThat(challenge.json()).as("the whole user-interactive auth body").isEqualTo(expected);
        ObjectNode withoutMaster = first.body().deepCopy();
        withoutMaster.remove("master_key");
        assertThat(alice.post(UPLOAD, withoutMaster).status())
                .as("no master key: not a plain repeat")
                .isEqualTo(401);

        ObjectNode wrongPassword = second.body().deepCopy();
        wrongPassword.set(
                "auth",
                passwordAuth(alice, "nope", challenge.json().get("session").asText()));
        TestResponse denied = alice.post(UPLOAD, wrongPassword);
        assertThat(denied.status()).isEqualTo(401);
        assertThat(denied.json())
                .isEqualTo(expected.deepCopy()
                        .<ObjectNode>set("completed", NODES.arrayNode())
                        .put("errcode", "M_FORBIDDEN")
                        .put("error", "Invalid password"));
        ObjectNode authed = second.body().deepCopy();
        authed.set(
                "auth",
                passwordAuth(alice, "pw", challenge.json().get("session").asText()));
        alice.post(UPLOAD, authed).expect(200);
        assertThat(alice.post(KEYS + "/query", queryBody(alice.userId())).json().at("/master_keys/" + alice.userId()))
                .isEqualTo(second.body().get("master_key"));
    }

    @Test
    void rejectsMalformedOrBadlySignedKeys(TestHomeserver hs) {
        TestClient alice = hs.registerUser("alice", "pw");
        TestClient bob = hs.registerUser("bob");
        SigningKey master = newKey();
        SigningKey other = newKey();

        ObjectNode notSigned = NODES.objectNode();
        notSigned.set("master_key", crossSigningKey(alice.userId(), "master", master, null));
        notSigned.set("self_signing_key", crossSigningKey(alice.userId(), "self_signing", newKey(), other));
        assertError(alice.post(UPLOAD, notSigned), 400, "M_INVALID_SIGNATURE");

        ObjectNode noMaster = NODES.objectNode();
        noMaster.set("self_signing_key", crossSigningKey(alice.userId(), "self_signing", newKey(), master));
        assertError(alice.post(UPLOAD, noMaster), 400, "M_MISSING_PARAM");

        ObjectNode wrongUsage = NODES.objectNode();
        wrongUsage.set("master_key", crossSigningKey(alice.userId(), "self_signing", master, null));
        assertError(alice.post(UPLOAD, wrongUsage), 400, "M_INVALID_PARAM");

        ObjectNode wrongUser = NODES.objectNode();
        wrongUser.set("master_key", crossSigningKey(bob.userId(), "master", master, null));
        assertError(alice.post(UPLOAD, wrongUser), 400, "M_INVALID_PARAM");

        ObjectNode misnamed = NODES.objectNode();
        ObjectNode key = crossSigningKey(alice.userId(), "master", master, null);
        key.putObject("keys").put("ed25519:abc", publicKey(master));
        misnamed.set("master_key", key);
        assertError(alice.post(UPLOAD, misnamed), 400, "M_INVALID_PARAM");

        ObjectNode notAKey = NODES.objectNode();
        ObjectNode garbage = crossSigningKey(alice.userId(), "master", master, null);
        garbage.putObject("keys").put("ed25519:abc", "abc");
        notAKey.set("master_key", garbage);
        assertError(alice.post(UPLOAD, notAKey), 400, "M_INVALID_PARAM");

        assertError(alice.post(UPLOAD, json("{\"master_key\":\"x\"}")), 400, "M_BAD_JSON");
        assertError(
                alice.post(
                        UPLOAD,
                        json("{\"master_key\":{\"user_id\":\"" + alice.userId()
                                + "\",\"usage\":\"master\",\"keys\":{}}}")),
                400,
                "M_BAD_JSON");

        // a public key equal to a device id would make key ids ambiguous
        SigningKey deviceLike = newKey();
        ObjectNode login = NODES.objectNode()
                .put("type", "m.login.password")
                .put("password", "pw")
                .put("device_id", publicKey(deviceLike));
        login.putObject("identifier").put("type", "m.id.user").put("user", "alice");
        hs.anonymous().post("/_matrix/client/v3/login", login).expect(200);
        ObjectNode clash = NODES.objectNode();
        clash.set("master_key", crossSigningKey(alice.userId(), "master", deviceLike, null));
        assertError(alice.post(UPLOAD, clash), 403, "M_FORBIDDEN");

        assertThat(alice.post(KEYS + "/query", queryBody(alice.userId())).json().get("master_keys"))
                .as("nothing stored")
                .isEqualTo(json("{}"));
    }

    @Test
    void signaturesOfOwnDevicesMasterKeyAndOtherUsersAreVerifiedAndMerged(TestHomeserver hs) {
        TestClient alice = hs.registerUser("alice", "pw");
        TestClient bob = hs.registerUser("bob", "pw");
        SigningKey aliceDevice = newKey();
        ObjectNode upload = NODES.objectNode();
        upload.set("device_keys", deviceKeys(alice, aliceDevice));
        alice.post(KEYS + "/upload", upload).expect(200);
        CrossSigningKeys aliceKeys = CrossSigningKeys.create(alice);
        alice.post(UPLOAD, aliceKeys.body()).expect(200);
        CrossSigningKeys bobKeys = CrossSigningKeys.create(bob);
        bob.post(UPLOAD, bobKeys.body()).expect(200);

        String ssk = "ed25519:" + publicKey(aliceKeys.selfSigning());
        ObjectNode deviceSigned = sign(deviceKeys(alice, aliceDevice), alice.userId(), ssk, aliceKeys.selfSigning());
        String masterId = publicKey(aliceKeys.master());
        ObjectNode masterSigned = sign(
                (ObjectNode) aliceKeys.body().get("master_key"),
                alice.userId(),
                "ed25519:" + alice.deviceId(),
                aliceDevice);
        String bobMasterId = publicKey(bobKeys.master());
        String usk = "ed25519:" + publicKey(aliceKeys.userSigning());
        ObjectNode bobSigned =
                sign((ObjectNode) bobKeys.body().get("master_key"), alice.userId(), usk, aliceKeys.userSigning());
        ObjectNode body = NODES.objectNode();
        body.putObject(alice.userId())
                .<ObjectNode>set(alice.deviceId(), deviceSigned)
                .set(masterId, masterSigned);
        body.putObject(bob.userId()).set(bobMasterId, bobSigned);
        assertThat(alice.post(SIGNATURES, body).expect(200).json()).isEqualTo(json("{\"failures\":{}}"));

        JsonNode seenByBob = bob.post(KEYS + "/query", queryBody(alice.userId(), bob.userId()))
                .expect(200)
                .json();
        JsonNode device = seenByBob.at("/device_keys/" + alice.userId() + "/" + alice.deviceId());
        assertThat(device.at("/signatures/" + alice.userId()))
                .isEqualTo(deviceSigned.at("/signatures/" + alice.userId()));
        assertThat(seenByBob.at("/master_keys/" + alice.userId() + "/signatures/" + alice.userId()))
                .isEqualTo(masterSigned.at("/signatures/" + alice.userId()));
        assertThat(seenByBob.at("/master_keys/" + bob.userId()).has("signatures"))
                .as("alice's signature of bob's key is hers to see")
                .isFalse();
        JsonNode seenByAlice =
                alice.post(KEYS + "/query", queryBody(bob.userId())).expect(200).json();
        assertThat(seenByAlice.at("/master_keys/" + bob.userId())).isEqualTo(bobSigned);
    }

    @Test
    void badSignaturesAreListedAsFailuresPerKey(TestHomeserver hs) {
        TestClient alice = hs.registerUser("alice", "pw");
        TestClient bob = hs.registerUser("bob", "pw");
        SigningKey aliceDevice = newKey();
        ObjectNode upload = NODES.objectNode();
        upload.set("device_keys", deviceKeys(alice, aliceDevice));
        alice.post(KEYS + "/upload", upload).expect(200);
        CrossSigningKeys aliceKeys = CrossSigningKeys.create(alice);
        alice.post(UPLOAD, aliceKeys.body()).expect(200);

        String ssk = "ed25519:" + publicKey(aliceKeys.selfSigning());
        ObjectNode wrongSigner = sign(deviceKeys(alice, aliceDevice), alice.userId(), ssk, newKey());
        ObjectNode unknownSigner = sign(
                deviceKeys(alice, aliceDevice),
                alice.userId(),
                "ed25519:" + publicKey(aliceKeys.userSigning()),
                aliceKeys.userSigning());
        ObjectNode body = NODES.objectNode();
        body.putObject(alice.userId())
                .<ObjectNode>set(alice.deviceId(), wrongSigner)
                .<ObjectNode>set("NOSUCHDEVICE", wrongSigner)
                .put("notakey", 3);
        body.putObject(bob.userId()).set("whatever", unknownSigner);
        JsonNode failures = alice.post(SIGNATURES, body).expect(200).json().get("failures");
        assertThat(failures.at("/" + alice.userId() + "/" + alice.deviceId() + "/errcode")
                        .asText())
                .isEqualTo("M_INVALID_SIGNATURE");
        assertThat(failures.at("/" + alice.userId() + "/NOSUCHDEVICE/errcode").asText())
                .isEqualTo("M_NOT_FOUND");
        assertThat(failures.at("/" + alice.userId() + "/notakey/errcode").asText())
                .isEqualTo("M_BAD_JSON");
        assertThat(failures.at("/" + bob.userId() + "/whatever/errcode").asText())
                .isEqualTo("M_NOT_FOUND");

        ObjectNode unknown = NODES.objectNode();
        unknown.putObject(alice.userId()).set(alice.deviceId(), unknownSigner);
        assertThat(alice.post(SIGNATURES, unknown)
                        .expect(200)
                        .json()
                        .at("/failures/" + alice.userId() + "/" + alice.deviceId() + "/errcode")
                        .asText())
                .as("the user-signing key does not sign devices")
                .isEqualTo("M_INVALID_SIGNATURE");
        ObjectNode changedContent = sign(deviceKeys(alice, newKey()), alice.userId(), ssk, aliceKeys.selfSigning());
        ObjectNode mismatch = NODES.objectNode();
        mismatch.putObject(alice.userId()).set(alice.deviceId(), changedContent);
        assertThat(alice.post(SIGNATURES, mismatch)
                        .expect(200)
                        .json()
                        .at("/failures/" + alice.userId() + "/" + alice.deviceId() + "/errcode")
                        .asText())
                .isEqualTo("M_INVALID_SIGNATURE");
        assertThat(alice.post(KEYS + "/query", queryBody(alice.userId()))
                        .json()
                        .at("/device_keys/" + alice.userId() + "/" + alice.deviceId() + "/signatures/" + alice.userId())
                        .size())
                .as("only the self-signature")
                .isEqualTo(1);
        assertError(alice.post(SIGNATURES, json("{\"not-a-user\":{}}")), 400, "M_INVALID_PARAM");
        assertError(alice.post(SIGNATURES, json("{\"@bob:test.local\":[]}")), 400, "M_BAD_JSON");
    }

    @Test
    @OverrideConfig(key = "rc_login", value = "{failed_attempts: {per_second: 0.17, burst_count: 3}}")
    void guessingThePasswordToReplaceKeysIsRateLimited(TestHomeserver hs) {
        TestClient alice = hs.registerUser("alice", "pw");
        alice.post(UPLOAD, CrossSigningKeys.create(alice).body()).expect(200);
        ObjectNode replacement = CrossSigningKeys.create(alice).body();
        String session = alice.post(UPLOAD, replacement).json().get("session").asText();
        for (int i = 0; i < 3; i++) {
            replacement.set("auth", passwordAuth(alice, "guess" + i, session));
            assertThat(alice.post(UPLOAD, replacement).errcode()).isEqualTo("M_FORBIDDEN");
        }
        replacement.set("auth", passwordAuth(alice, "pw", session));
        TestResponse limited = alice.post(UPLOAD, replacement);
        assertThat(limited.status()).isEqualTo(429);
        assertThat(limited.errcode()).isEqualTo("M_LIMIT_EXCEEDED");
        hs.clock()
                .advance(java.time.Duration.ofMillis(
                        limited.json().get("retry_after_ms").asLong()));
        alice.post(UPLOAD, replacement).expect(200);
    }

    static ObjectNode passwordAuth(TestClient client, String password, String session) {
        ObjectNode auth = NODES.objectNode()
                .put("type", "m.login.password")
                .put("password", password)
                .put("session", session);
        auth.putObject("identifier").put("type", "m.id.user").put("user", client.userId());
        return auth;
    }

    @Test
    void nonObjectBodiesAndNullEntriesAreRejected(TestHomeserver hs) {
        TestClient alice = hs.registerUser("alice");
        assertError(alice.post(UPLOAD, "{"), 400, "M_NOT_JSON");
        assertError(alice.post(UPLOAD, "[]"), 400, "M_BAD_JSON");
        assertError(alice.post(UPLOAD, json("{\"auth\":\"x\"}")), 400, "M_BAD_JSON");
        assertError(alice.post(SIGNATURES, "{"), 400, "M_NOT_JSON");
        assertError(alice.post(SIGNATURES, "[]"), 400, "M_BAD_JSON");
        assertError(alice.post(SIGNATURES, json("{\"" + alice.userId() + "\":null}")), 400, "M_BAD_JSON");
        assertThat(alice.post(SIGNATURES, json("{}")).expect(200).json()).isEqualTo(json("{\"failures\":{}}"));
    }
}
