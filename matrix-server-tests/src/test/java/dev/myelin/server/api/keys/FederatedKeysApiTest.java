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
import dev.myelin.server.api.keys.CrossSigningApiTest.CrossSigningKeys;
import dev.myelin.testing.TestClient;
import dev.myelin.testing.TestFederation;
import dev.myelin.testing.TestResponse;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The keys of other servers' users: {@code /keys/query} and {@code /keys/claim} ask the users'
 * server ({@code /_matrix/federation/v1/user/keys/query} and {@code /claim}) and merge what it
 * answers; a server that cannot be asked, fails, or does not answer in time is a failure, and the
 * other servers' keys still arrive.
 */
class FederatedKeysApiTest {
    private TestFederation federation;
    private TestClient alice;
    private TestClient bob;

    @BeforeEach
    void start() {
        federation = TestFederation.start("a.test", "b.test");
        alice = federation.server("a.test").registerUser("alice", "pw");
        bob = federation.server("b.test").registerUser("bob");
    }

    @AfterEach
    void stop() {
        federation.close();
    }

    @Test
    void anotherServersUsersDeviceAndCrossSigningKeysAreAskedOfTheirServer() {
        alice.put(
                        "/_matrix/client/v3/devices/" + alice.deviceId(),
                        NODES.objectNode().put("display_name", "Laptop"))
                .expect(200);
        SigningKey key = newKey();
        ObjectNode uploaded = deviceKeys(alice, key);
        ObjectNode upload = NODES.objectNode();
        upload.set("device_keys", uploaded);
        alice.post(KEYS + "/upload", upload).expect(200);
        CrossSigningKeys crossSigning = CrossSigningKeys.create(alice);
        alice.post(KEYS + "/device_signing/upload", crossSigning.body()).expect(200);

        JsonNode result =
                bob.post(KEYS + "/query", queryBody(alice.userId())).expect(200).json();

        // over federation the device's display name stays home, and so does the user-signing key
        ObjectNode expectedDevice = uploaded.deepCopy();
        expectedDevice.putObject("unsigned");
        ObjectNode expected = NODES.objectNode();
        expected.putObject("device_keys").<ObjectNode>putObject(alice.userId()).set(alice.deviceId(), expectedDevice);
        expected.putObject("failures");
        expected.putObject("master_keys")
                .set(alice.userId(), crossSigning.body().get("master_key"));
        expected.putObject("self_signing_keys")
                .set(alice.userId(), crossSigning.body().get("self_signing_key"));
        expected.putObject("user_signing_keys");
        assertThat(result).isEqualTo(expected);
        assertThat(federation.link("b.test", "a.test").delivered())
                .extracting(r -> r.uri().getPath())
                .contains("/_matrix/federation/v1/user/keys/query");

        ObjectNode onlyOther = NODES.objectNode();
        onlyOther.putObject("device_keys").putArray(alice.userId()).add("OTHERDEVICE");
        assertThat(bob.post(KEYS + "/query", onlyOther).expect(200).json().get("device_keys"))
                .isEqualTo(json("{\"" + alice.userId() + "\":{}}"));
    }

    @Test
    void anotherServersUsersOneTimeKeyIsClaimedFromTheirServerOnce() {
        SigningKey key = newKey();
        ObjectNode upload = NODES.objectNode();
        upload.set("device_keys", deviceKeys(alice, key));
        ObjectNode oneTimeKey = signedKey(alice, key, "one", false);
        upload.putObject("one_time_keys").set("signed_curve25519:AAAAAQ", oneTimeKey);
        alice.post(KEYS + "/upload", upload).expect(200);
        ObjectNode claim = NODES.objectNode();
        claim.putObject("one_time_keys").putObject(alice.userId()).put(alice.deviceId(), "signed_curve25519");

        ObjectNode expected = NODES.objectNode();
        expected.putObject("one_time_keys")
                .<ObjectNode>putObject(alice.userId())
                .<ObjectNode>putObject(alice.deviceId())
                .set("signed_curve25519:AAAAAQ", oneTimeKey);
        expected.putObject("failures");
        assertThat(bob.post(KEYS + "/claim", claim).expect(200).json()).isEqualTo(expected);
        assertThat(bob.post(KEYS + "/claim", claim).expect(200).json())
                .isEqualTo(json("{\"one_time_keys\":{},\"failures\":{}}"));
        assertThat(federation.link("b.test", "a.test").delivered())
                .extracting(r -> r.uri().getPath())
                .contains("/_matrix/federation/v1/user/keys/claim");
    }

    @Test
    void aServerThatCannotBeAskedIsAFailureAndTheOthersStillAnswer() {
        TestClient carol = federation.server("b.test").registerUser("carol");
        E2eeFixtures.uploadDeviceKeys(carol);

        JsonNode result = bob.post(KEYS + "/query", queryBody(carol.userId(), "@dan:elsewhere.test"))
                .expect(200)
                .json();
        assertThat(result.at("/device_keys/" + carol.userId()).has(carol.deviceId()))
                .isTrue();
        assertThat(result.at("/failures/elsewhere.test/status").asInt()).isEqualTo(503);
        assertThat(result.at("/failures/elsewhere.test/message").isTextual()).isTrue();

        federation.link("b.test", "a.test").failWithStatus(502);
        JsonNode failed =
                bob.post(KEYS + "/query", queryBody(alice.userId())).expect(200).json();
        assertThat(failed.get("device_keys")).isEqualTo(json("{}"));
        assertThat(failed.at("/failures/a.test/status").asInt()).isEqualTo(502);

        federation.link("b.test", "a.test").fail();
        ObjectNode claim = NODES.objectNode();
        claim.putObject("one_time_keys").putObject(alice.userId()).put(alice.deviceId(), "signed_curve25519");
        JsonNode claimed = bob.post(KEYS + "/claim", claim).expect(200).json();
        assertThat(claimed.get("one_time_keys")).isEqualTo(json("{}"));
        assertThat(claimed.at("/failures/a.test/status").asInt()).isEqualTo(503);
    }

    @Test
    void aServerThatDoesNotAnswerWithinTheTimeoutIsAFailure() throws Exception {
        federation.link("b.test", "a.test").drop(Duration.ofMinutes(5));
        ObjectNode query = queryBody(alice.userId());
        query.put("timeout", 2_000);

        CompletableFuture<TestResponse> answer = CompletableFuture.supplyAsync(() -> bob.post(KEYS + "/query", query));
        // the wait is on the federation's clock: move it on until the query gives up
        for (int step = 0; step < 1_000 && !answer.isDone(); step++) {
            federation.clock().advance(Duration.ofSeconds(1));
            Thread.sleep(20);
        }
        JsonNode result = answer.get(10, TimeUnit.SECONDS).expect(200).json();
        assertThat(result.get("device_keys")).isEqualTo(json("{}"));
        assertThat(result.at("/failures/a.test/status").asInt()).isEqualTo(503);
    }

    @Test
    void aNegativeTimeoutIsRefused() {
        ObjectNode query = queryBody(alice.userId());
        query.put("timeout", -1);
        assertError(bob.post(KEYS + "/query", query), 400, "M_INVALID_PARAM");
        ObjectNode claim = NODES.objectNode().put("timeout", -1);
        claim.putObject("one_time_keys");
        assertError(bob.post(KEYS + "/claim", claim), 400, "M_INVALID_PARAM");
        assertError(bob.post(KEYS + "/query", json("{\"device_keys\":{},\"timeout\":\"soon\"}")), 400, "M_BAD_JSON");
    }
}
