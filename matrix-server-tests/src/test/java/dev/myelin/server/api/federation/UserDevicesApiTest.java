package dev.myelin.server.api.federation;

import static dev.myelin.server.api.federation.RoomReadsFixture.BOB;
import static dev.myelin.server.api.federation.RoomReadsFixture.REMOTE;
import static dev.myelin.server.api.federation.RoomReadsFixture.expectError;
import static dev.myelin.server.api.federation.RoomReadsFixture.publicRoom;
import static dev.myelin.server.api.federation.RoomReadsFixture.remoteJoins;
import static dev.myelin.server.api.federation.RoomReadsFixture.signedGet;
import static dev.myelin.server.api.federation.RoomReadsFixture.trustRemote;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.myelin.testing.HomeserverExtension;
import dev.myelin.testing.OverrideConfig;
import dev.myelin.testing.TestClient;
import dev.myelin.testing.TestHomeserver;
import dev.myelin.testing.TestResponse;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * {@code GET /_matrix/federation/v1/user/devices/{userId}} for this server's users, and the device
 * list EDUs of another server: malformed ones are dropped (the transaction still succeeds), and an
 * unreachable server leaves its users' keys as a failure of {@code /keys/query}.
 */
@ExtendWith(HomeserverExtension.class)
@OverrideConfig(key = "trusted_key_servers", value = "[]")
@OverrideConfig(key = "rc_federation", value = "{sleep_limit: 1000, reject_limit: 1000}")
class UserDevicesApiTest {
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    private static final String PATH = "/_matrix/federation/v1/user/devices/";

    private static ObjectNode uploadKeys(TestClient client) {
        ObjectNode keys = NODES.objectNode().put("user_id", client.userId()).put("device_id", client.deviceId());
        keys.putArray("algorithms").add("m.olm.v1.curve25519-aes-sha2");
        keys.putObject("keys").put("ed25519:" + client.deviceId(), "a2V5");
        keys.putObject("signatures").putObject(client.userId()).put("ed25519:" + client.deviceId(), "c2ln");
        ObjectNode upload = NODES.objectNode();
        upload.set("device_keys", keys);
        client.post("/_matrix/client/v3/keys/upload", upload).expect(200);
        return keys;
    }

    @Test
    void aLocalUsersDevicesWithKeysAreServedWithoutDisplayNames(TestHomeserver hs) {
        trustRemote(hs);
        TestClient alice = hs.registerUser("alice", "pw");
        alice.put(
                        "/_matrix/client/v3/devices/" + alice.deviceId(),
                        NODES.objectNode().put("display_name", "Phone"))
                .expect(200);
        ObjectNode keys = uploadKeys(alice);
        hs.login("alice", "pw"); // a device without keys is not listed

        JsonNode body = signedGet(hs, PATH + TestClient.encode(alice.userId()))
                .expect(200)
                .json();

        assertThat(body.path("stream_id").isIntegralNumber()).isTrue();
        assertThat(body.path("stream_id").asLong()).isPositive();
        ObjectNode expected = NODES.objectNode().put("user_id", alice.userId());
        expected.set("stream_id", body.path("stream_id"));
        expected.putArray("devices")
                .addObject()
                .put("device_id", alice.deviceId())
                .set("keys", keys);
        assertThat(body).isEqualTo(expected);
    }

    @Test
    void aUserWithoutDevicesHasAnEmptyList(TestHomeserver hs) {
        trustRemote(hs);
        JsonNode body = signedGet(hs, PATH + TestClient.encode("@nobody:" + hs.serverName()))
                .expect(200)
                .json();
        assertThat(body.path("devices")).isEmpty();
        assertThat(body.path("user_id").asText()).isEqualTo("@nobody:" + hs.serverName());
    }

    @Test
    void otherServersUsersBadIdsAndUnsignedRequestsAreRefused(TestHomeserver hs) {
        trustRemote(hs);
        expectError(signedGet(hs, PATH + TestClient.encode(BOB.toString())), 400, "M_INVALID_PARAM");
        expectError(signedGet(hs, PATH + "not-a-user"), 400, "M_INVALID_PARAM");
        TestResponse unsigned =
                hs.request("GET", PATH + TestClient.encode("@alice:" + hs.serverName()), null, (String) null);
        assertThat(unsigned.status()).isEqualTo(401);
    }

    @Test
    void malformedDeviceListEdusAreDroppedAndAnUnreachableServerIsAFailure(TestHomeserver hs) {
        trustRemote(hs);
        TestClient alice = hs.registerUser("alice");
        String room = publicRoom(alice);
        remoteJoins(hs, room);
        String since = alice.sync().nextBatch();

        ObjectNode transaction = NODES.objectNode();
        transaction.put("origin", REMOTE.toString());
        transaction.put("origin_server_ts", hs.time().nowMillis());
        transaction.putArray("pdus");
        var edus = transaction.putArray("edus");
        for (ObjectNode content : List.of(
                NODES.objectNode()
                        .put("user_id", BOB.toString())
                        .put("device_id", "D")
                        .put("stream_id", "x"),
                NODES.objectNode().put("user_id", 5).put("device_id", "D").put("stream_id", 1),
                NODES.objectNode().put("user_id", BOB.toString()).put("stream_id", 1),
                NODES.objectNode()
                        .put("user_id", BOB.toString())
                        .put("device_id", "D")
                        .put("stream_id", 1)
                        .put("deleted", "yes"),
                NODES.objectNode()
                        .put("user_id", "@eve:elsewhere.example")
                        .put("device_id", "D")
                        .put("stream_id", 1))) {
            edus.addObject().put("edu_type", "m.device_list_update").set("content", content);
        }
        edus.addObject().put("edu_type", "m.device_list_update").put("content", "not an object");
        edus.addObject()
                .put("edu_type", "m.signing_key_update")
                .putObject("content")
                .put("user_id", BOB.toString())
                .put("master_key", 3);
        edus.addObject()
                .put("edu_type", "m.signing_key_update")
                .putObject("content")
                .put("user_id", "nobody");
        RoomReadsFixture.signed(hs, "PUT", "/_matrix/federation/v1/send/dl1", transaction)
                .expect(200);

        JsonNode changes = alice.get("/_matrix/client/v3/keys/changes?from=" + TestClient.encode(since) + "&to="
                        + TestClient.encode(alice.sync(null, Map.of("timeout", "0"))
                                .path("next_batch")
                                .asText()))
                .expect(200)
                .json();
        assertThat(changes.path("changed").toString()).doesNotContain(BOB.toString());

        ObjectNode query = NODES.objectNode();
        query.putObject("device_keys").putArray(BOB.toString());
        query.put("timeout", 2000);
        JsonNode result =
                alice.post("/_matrix/client/v3/keys/query", query).expect(200).json();
        assertThat(result.path("failures").has(REMOTE.toString())).isTrue();
        assertThat(result.path("device_keys").has(BOB.toString())).isFalse();
    }
}
