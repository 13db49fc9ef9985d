package dev.myelin.server.api.federation;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.myelin.testing.HomeserverExtension;
import dev.myelin.testing.OverrideConfig;
import dev.myelin.testing.TestClient;
import dev.myelin.testing.TestHomeserver;
import dev.myelin.testing.TestResponse;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * {@code POST /_matrix/federation/v1/user/keys/query} and {@code /claim}: this server's users'
 * keys for another server, which must sign its request; the users asked for must be this
 * server's.
 */
@ExtendWith(HomeserverExtension.class)
@OverrideConfig(key = "trusted_key_servers", value = "[]")
class UserKeysApiTest {
    private static final JsonMapper JSON = new JsonMapper();
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    private static final String QUERY = "/_matrix/federation/v1/user/keys/query";
    private static final String CLAIM = "/_matrix/federation/v1/user/keys/claim";

    private static TestResponse signedPost(TestHomeserver hs, String uri, ObjectNode body) {
        return SignedRequests.signed(hs, "POST", uri, body);
    }

    private static JsonNode json(String text) throws Exception {
        return JSON.readTree(text);
    }

    private static ObjectNode uploadKeys(TestClient client) {
        ObjectNode deviceKeys =
                NODES.objectNode().put("user_id", client.userId()).put("device_id", client.deviceId());
        deviceKeys.putArray("algorithms").add("m.olm.v1.curve25519-aes-sha2");
        deviceKeys.putObject("keys").put("curve25519:" + client.deviceId(), "identitykey");
        deviceKeys.putObject("signatures");
        ObjectNode body = NODES.objectNode();
        body.set("device_keys", deviceKeys);
        body.putObject("one_time_keys").put("curve25519:AAAAAQ", "onetimekey");
        client.post("/_matrix/client/v3/keys/upload", body).expect(200);
        return deviceKeys;
    }

    @Test
    void anotherServerGetsTheDeviceKeysOfThisServersUsersWithoutDisplayNames(TestHomeserver hs) throws Exception {
        SignedRequests.trustRemote(hs);
        TestClient alice = hs.registerUser("alice");
        alice.put(
                        "/_matrix/client/v3/devices/" + alice.deviceId(),
                        NODES.objectNode().put("display_name", "Laptop"))
                .expect(200);
        ObjectNode uploaded = uploadKeys(alice);
        ObjectNode query = NODES.objectNode();
        query.putObject("device_keys").putArray(alice.userId());
        query.withObject("device_keys").putArray("@nobody:" + hs.serverName());

        JsonNode answer = signedPost(hs, QUERY, query).expect(200).json();

        ObjectNode expectedDevice = uploaded.deepCopy();
        expectedDevice.putObject("unsigned");
        ObjectNode expected = NODES.objectNode();
        ObjectNode devices = expected.putObject("device_keys");
        devices.putObject(alice.userId()).set(alice.deviceId(), expectedDevice);
        devices.putObject("@nobody:" + hs.serverName());
        expected.putObject("master_keys");
        expected.putObject("self_signing_keys");
        assertThat(answer).isEqualTo(expected);
    }

    @Test
    void anotherServerClaimsEachOneTimeKeyOnceAndOtherServersUsersAreLeftOut(TestHomeserver hs) throws Exception {
        SignedRequests.trustRemote(hs);
        TestClient alice = hs.registerUser("alice");
        uploadKeys(alice);
        ObjectNode claim = NODES.objectNode();
        claim.putObject("one_time_keys").putObject(alice.userId()).put(alice.deviceId(), "curve25519");
        claim.withObject("one_time_keys").putObject("@bob:elsewhere.test").put("DEV", "curve25519");

        assertThat(signedPost(hs, CLAIM, claim).expect(200).json())
                .isEqualTo(json("{\"one_time_keys\":{\"" + alice.userId() + "\":{\"" + alice.deviceId()
                        + "\":{\"curve25519:AAAAAQ\":\"onetimekey\"}}}}"));
        assertThat(signedPost(hs, CLAIM, claim).expect(200).json()).isEqualTo(json("{\"one_time_keys\":{}}"));
    }

    @Test
    void badRequestsAreMatrixErrors(TestHomeserver hs) throws Exception {
        SignedRequests.trustRemote(hs);
        ObjectNode otherServers = NODES.objectNode();
        otherServers.putObject("device_keys").putArray("@bob:elsewhere.test");
        assertError(signedPost(hs, QUERY, otherServers), 400, "M_INVALID_PARAM");
        assertError(signedPost(hs, QUERY, NODES.objectNode()), 400, "M_MISSING_PARAM");
        assertError(
                signedPost(hs, QUERY, (ObjectNode) json("{\"device_keys\":{\"not-a-user\":[]}}")),
                400,
                "M_INVALID_PARAM");
        assertError(signedPost(hs, CLAIM, NODES.objectNode()), 400, "M_MISSING_PARAM");
        assertError(
                signedPost(hs, CLAIM, (ObjectNode) json("{\"one_time_keys\":{\"@a:x.test\":[\"DEV\"]}}")),
                400,
                "M_BAD_JSON");
        ObjectNode query = NODES.objectNode();
        query.putObject("device_keys");
        assertError(hs.request("POST", QUERY, query, List.of()), 401, "M_UNAUTHORIZED");
        assertError(hs.request("POST", CLAIM, query, List.of()), 401, "M_UNAUTHORIZED");
    }

    private static void assertError(TestResponse response, int status, String errcode) {
        assertThat(response.status()).as(response.body()).isEqualTo(status);
        assertThat(response.errcode()).as(response.body()).isEqualTo(errcode);
    }
}
