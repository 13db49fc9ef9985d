package dev.myelin.server.api.federation;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.myelin.core.id.ServerName;
import dev.myelin.testing.HomeserverExtension;
import dev.myelin.testing.OverrideConfig;
import dev.myelin.testing.TestClient;
import dev.myelin.testing.TestHomeserver;
import dev.myelin.testing.TestResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * {@code m.direct_to_device} EDUs in {@code /send} transactions from another server reach local
 * devices once per message id, and only when the sender is the origin's user.
 */
@ExtendWith(HomeserverExtension.class)
@OverrideConfig(key = "trusted_key_servers", value = "[]")
class InboundToDeviceApiTest {
    private static final ServerName REMOTE = SignedRequests.REMOTE;
    private static final String CAROL = "@carol:" + REMOTE;

    private static void trustRemote(TestHomeserver hs) {
        SignedRequests.trustRemote(hs);
    }

    private static TestResponse send(TestHomeserver hs, String txnId, ObjectNode... edus) {
        ObjectNode body = JsonNodeFactory.instance.objectNode();
        body.put("origin", REMOTE.toString());
        body.put("origin_server_ts", hs.time().nowMillis());
        body.putArray("pdus");
        body.putArray("edus").addAll(List.of(edus));
        return SignedRequests.signed(hs, "PUT", "/_matrix/federation/v1/send/" + txnId, body);
    }

    private static ObjectNode toDevice(String sender, String messageId, String user, String device, String text) {
        ObjectNode edu = JsonNodeFactory.instance.objectNode().put("edu_type", "m.direct_to_device");
        ObjectNode content = edu.putObject("content")
                .put("sender", sender)
                .put("type", "org.example.test")
                .put("message_id", messageId);
        content.putObject("messages").putObject(user).putObject(device).put("text", text);
        return edu;
    }

    private static List<String> received(TestClient client) {
        List<String> out = new ArrayList<>();
        for (JsonNode event :
                client.sync(null, Map.of("timeout", "0")).path("to_device").path("events")) {
            out.add(event.path("sender").asText() + " " + event.path("type").asText() + " "
                    + event.path("content").path("text").asText());
        }
        return out;
    }

    @Test
    void aToDeviceEduReachesTheNamedDeviceAndEveryDeviceForAStar(TestHomeserver hs) {
        trustRemote(hs);
        TestClient bob = hs.registerUser("bob");
        TestClient alice = hs.registerUser("alice");

        send(
                        hs,
                        "t1",
                        toDevice(CAROL, "m1", bob.userId(), bob.deviceId(), "to bob"),
                        toDevice(CAROL, "m2", alice.userId(), "*", "to every device of alice"))
                .expect(200);

        assertThat(received(bob)).containsExactly(CAROL + " org.example.test to bob");
        assertThat(received(alice)).containsExactly(CAROL + " org.example.test to every device of alice");
    }

    @Test
    void aMessageIdSentAgainInAnotherTransactionIsDeliveredOnce(TestHomeserver hs) {
        trustRemote(hs);
        TestClient bob = hs.registerUser("bob");

        send(hs, "t1", toDevice(CAROL, "m1", bob.userId(), bob.deviceId(), "once"))
                .expect(200);
        send(hs, "t2", toDevice(CAROL, "m1", bob.userId(), bob.deviceId(), "once"))
                .expect(200);
        send(hs, "t3", toDevice(CAROL, "m2", bob.userId(), bob.deviceId(), "twice"))
                .expect(200);

        assertThat(received(bob)).containsExactly(CAROL + " org.example.test once", CAROL + " org.example.test twice");
    }

    @Test
    void eduFromAnotherServersUserOrMalformedIsDroppedAndTheTransactionStillSucceeds(TestHomeserver hs) {
        trustRemote(hs);
        TestClient bob = hs.registerUser("bob");
        ObjectNode noContent = JsonNodeFactory.instance.objectNode().put("edu_type", "m.direct_to_device");
        ObjectNode badMessages = toDevice(CAROL, "m4", bob.userId(), bob.deviceId(), "x");
        ((ObjectNode) badMessages.get("content")).put("messages", "not an object");
        ObjectNode noMessageId = toDevice(CAROL, "m5", bob.userId(), bob.deviceId(), "x");
        ((ObjectNode) noMessageId.get("content")).remove("message_id");
        ObjectNode badUser = toDevice(CAROL, "m6", "not a user id", "DEV", "x");

        TestResponse answer = send(
                hs,
                "t1",
                toDevice("@mallory:evil.test", "m1", bob.userId(), bob.deviceId(), "spoofed"),
                toDevice("@" + bob.userId().substring(1), "m2", bob.userId(), bob.deviceId(), "spoofed local"),
                noContent,
                badMessages,
                noMessageId,
                badUser,
                toDevice(CAROL, "m7", bob.userId(), bob.deviceId(), "fine"));

        assertThat(answer.status()).isEqualTo(200);
        assertThat(received(bob)).containsExactly(CAROL + " org.example.test fine");
    }

    @Test
    void aToDeviceMessageToARemoteUserIsQueuedForTheirServer(TestHomeserver hs) {
        TestClient bob = hs.registerUser("bob");
        ObjectNode body = JsonNodeFactory.instance.objectNode();
        ObjectNode messages = body.putObject("messages");
        messages.putObject(CAROL).putObject("CAROLDEVICE").put("text", "to carol");
        messages.putObject(bob.userId()).putObject(bob.deviceId()).put("text", "to bob");

        bob.put("/_matrix/client/v3/sendToDevice/org.example.test/t1", body).expect(200);

        assertThat(received(bob)).containsExactly(bob.userId() + " org.example.test to bob");
        assertThat(hs.homeserver().testSeam().queuedForFederation(REMOTE)).isEqualTo(1);
    }

    @Test
    @OverrideConfig(key = "rc_key_requests", value = "{per_second: 0.001, burst_count: 2}")
    void roomKeyRequestsFromAnotherServersUserAreLimited(TestHomeserver hs) {
        trustRemote(hs);
        TestClient bob = hs.registerUser("bob");
        List<ObjectNode> edus = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            ObjectNode edu = toDevice(CAROL, "k" + i, bob.userId(), bob.deviceId(), "request " + i);
            edu.with("content").put("type", "m.room_key_request");
            edus.add(edu);
        }
        edus.add(toDevice(CAROL, "m1", bob.userId(), bob.deviceId(), "not a key request"));

        send(hs, "t-keys", edus.toArray(ObjectNode[]::new)).expect(200);

        assertThat(received(bob))
                .containsExactly(
                        CAROL + " m.room_key_request request 0",
                        CAROL + " m.room_key_request request 1",
                        CAROL + " org.example.test not a key request");
    }
}
