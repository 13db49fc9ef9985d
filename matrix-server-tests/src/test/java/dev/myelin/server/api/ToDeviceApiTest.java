package dev.myelin.server.api;

import static dev.myelin.server.api.DeviceApiTest.passwordAuth;
import static dev.myelin.server.api.ProfileApiTest.assertError;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.myelin.core.id.DeviceId;
import dev.myelin.core.id.UserId;
import dev.myelin.testing.HomeserverExtension;
import dev.myelin.testing.TestClient;
import dev.myelin.testing.TestHomeserver;
import dev.myelin.testing.TestResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(HomeserverExtension.class)
class ToDeviceApiTest {
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void aMessageReachesTheNamedDeviceOnlyAsSenderTypeAndContent(TestHomeserver hs) throws Exception {
        TestClient alice = hs.registerUser("alice");
        TestClient bobLaptop = hs.registerUser("bob", "pw");
        TestClient bobPhone = hs.login("bob", "pw");

        send(
                        alice,
                        "m.room_key_request",
                        "t1",
                        Map.of(
                                bobLaptop.userId(),
                                Map.of(bobLaptop.deviceId(), NODES.objectNode().put("action", "request"))))
                .expect(200);

        assertThat(toDevice(bobLaptop.sync(null, Map.of()))).isEqualTo(JSON.readTree("""
                [{"sender": "@alice:test.local", "type": "m.room_key_request", "content": {"action": "request"}}]"""));
        assertThat(toDevice(bobPhone.sync(null, Map.of()))).isEmpty();
        assertThat(toDevice(alice.sync(null, Map.of()))).isEmpty();
    }

    @Test
    void aStarReachesEveryDeviceOfTheUserAndANamedDeviceKeepsItsOwnMessage(TestHomeserver hs) {
        TestClient alice = hs.registerUser("alice");
        TestClient bobLaptop = hs.registerUser("bob", "pw");
        TestClient bobPhone = hs.login("bob", "pw");
        TestClient bobTablet = hs.login("bob", "pw");

        ObjectNode messages = NODES.objectNode();
        messages.putObject(bobLaptop.userId())
                .<ObjectNode>set("*", NODES.objectNode().put("to", "all"))
                .set(bobTablet.deviceId(), NODES.objectNode().put("to", "tablet"));
        send(alice, "m.test", "t1", messages).expect(200);

        assertThat(contents(bobLaptop.sync(null, Map.of()))).containsExactly("{\"to\":\"all\"}");
        assertThat(contents(bobPhone.sync(null, Map.of()))).containsExactly("{\"to\":\"all\"}");
        assertThat(contents(bobTablet.sync(null, Map.of()))).containsExactly("{\"to\":\"tablet\"}");
    }

    @Test
    void messagesArriveInOrderAtMostAHundredPerSync(TestHomeserver hs) {
        TestClient alice = hs.registerUser("alice");
        TestClient bob = hs.registerUser("bob");
        for (int i = 0; i < 130; i++) {
            send(
                            alice,
                            "m.test",
                            "n" + i,
                            Map.of(
                                    bob.userId(),
                                    Map.of(bob.deviceId(), NODES.objectNode().put("n", i))))
                    .expect(200);
        }

        JsonNode first = bob.sync(null, Map.of());
        assertThat(numbers(first)).isEqualTo(range(0, 100));
        JsonNode second = bob.sync(first.get("next_batch").asText(), Map.of());
        assertThat(numbers(second)).isEqualTo(range(100, 130));
        JsonNode third = bob.sync(second.get("next_batch").asText(), Map.of());
        assertThat(numbers(third)).isEmpty();
        assertThat(third.get("next_batch").asText())
                .isEqualTo(second.get("next_batch").asText());
    }

    @Test
    void messagesStayUntilALaterSyncAcknowledgesThem(TestHomeserver hs) {
        TestClient alice = hs.registerUser("alice");
        TestClient bob = hs.registerUser("bob");
        String start = bob.sync(null, Map.of()).get("next_batch").asText();
        send(
                alice,
                "m.test",
                "t1",
                Map.of(bob.userId(), Map.of(bob.deviceId(), NODES.objectNode().put("n", 1))));

        JsonNode delivered = bob.sync(start, Map.of());
        assertThat(numbers(delivered)).containsExactly(1);
        // the response was lost: the client repeats its token and gets the message again
        JsonNode again = bob.sync(start, Map.of());
        assertThat(numbers(again)).containsExactly(1);
        assertThat(again.get("next_batch")).isEqualTo(delivered.get("next_batch"));

        JsonNode next = bob.sync(delivered.get("next_batch").asText(), Map.of());
        assertThat(numbers(next)).isEmpty();
        assertThat(pending(hs, bob)).as("acknowledged messages are deleted").isZero();
        assertThat(numbers(bob.sync(start, Map.of())))
                .as("and never sent again")
                .isEmpty();
    }

    @Test
    void aRetriedTransactionIsSentOnceButAnotherDeviceMayReuseTheId(TestHomeserver hs) {
        TestClient alice = hs.registerUser("alice", "pw");
        TestClient alicePhone = hs.login("alice", "pw");
        TestClient bob = hs.registerUser("bob");
        Map<String, Map<String, ObjectNode>> body = Map.of(bob.userId(), Map.of(bob.deviceId(), NODES.objectNode()));

        send(alice, "m.test", "same", body).expect(200);
        send(alice, "m.test", "same", body).expect(200);
        assertThat(toDevice(bob.sync(null, Map.of()))).hasSize(1);
        send(alicePhone, "m.test", "same", body).expect(200);
        assertThat(toDevice(bob.sync(null, Map.of()))).hasSize(2);
    }

    @Test
    void sendingWakesTheRecipientsLongPoll(TestHomeserver hs) throws Exception {
        TestClient alice = hs.registerUser("alice");
        TestClient bob = hs.registerUser("bob");
        String since = bob.sync(null, Map.of()).get("next_batch").asText();

        CompletableFuture<TestResponse> poll = SyncApiTest.longPoll(bob, since, 30_000);
        assertThat(hs.clock().awaitSleepers(1, Duration.ofSeconds(10))).isTrue();
        assertThat(poll).isNotDone();
        send(
                alice,
                "m.test",
                "t1",
                Map.of(bob.userId(), Map.of(bob.deviceId(), NODES.objectNode().put("n", 7))));

        JsonNode sync = poll.get(10, TimeUnit.SECONDS).expect(200).json();
        assertThat(numbers(sync)).containsExactly(7);
        assertThat(sync.get("next_batch").asText()).isNotEqualTo(since);
    }

    @Test
    void unknownUsersDevicesAndRemoteUsersAreSkipped(TestHomeserver hs) {
        TestClient alice = hs.registerUser("alice");
        TestClient bob = hs.registerUser("bob");
        ObjectNode messages = NODES.objectNode();
        messages.putObject("@nobody:test.local").set("*", NODES.objectNode());
        messages.putObject("@carol:elsewhere.example").set("CAROLDEVICE", NODES.objectNode());
        messages.putObject(bob.userId())
                .<ObjectNode>set("NOSUCHDEVICE", NODES.objectNode())
                .set(bob.deviceId(), NODES.objectNode().put("n", 1));

        send(alice, "m.test", "t1", messages).expect(200);
        assertThat(numbers(bob.sync(null, Map.of()))).containsExactly(1);
    }

    @Test
    void aMessageOverTheLimitIsTooLargeAndNothingIsSent(TestHomeserver hs) {
        TestClient alice = hs.registerUser("alice");
        TestClient bob = hs.registerUser("bob");
        ObjectNode messages = NODES.objectNode();
        messages.putObject(bob.userId())
                .<ObjectNode>set(bob.deviceId(), NODES.objectNode().put("small", true))
                .set("*", NODES.objectNode().put("big", "x".repeat(64 * 1024)));

        assertError(send(alice, "m.test", "t1", messages), 413, "M_TOO_LARGE");
        ObjectNode justUnder = NODES.objectNode().put("big", "x".repeat(64 * 1024 - 20));
        send(alice, "m.test", "t2", Map.of(bob.userId(), Map.of(bob.deviceId(), justUnder)))
                .expect(200);
        assertThat(toDevice(bob.sync(null, Map.of()))).hasSize(1);
    }

    @Test
    void badBodiesAreRejectedBeforeAnythingIsSent(TestHomeserver hs) {
        TestClient alice = hs.registerUser("alice");
        TestClient bob = hs.registerUser("bob");
        String path = "/_matrix/client/v3/sendToDevice/m.test/";
        assertError(alice.put(path + "a", "{"), 400, "M_NOT_JSON");
        assertError(alice.put(path + "b", "[]"), 400, "M_BAD_JSON");
        assertError(alice.put(path + "c", NODES.objectNode()), 400, "M_MISSING_PARAM");
        assertError(alice.put(path + "d", NODES.objectNode().put("messages", 5)), 400, "M_BAD_JSON");
        assertError(alice.put(path + "e", body(Map.of("not-a-user", Map.of()))), 400, "M_INVALID_PARAM");
        ObjectNode notDevices = NODES.objectNode();
        notDevices.putObject("messages").put(bob.userId(), "x");
        assertError(alice.put(path + "f", notDevices), 400, "M_BAD_JSON");

        // the good part of a body with one bad message is not sent either
        ObjectNode partlyBad = NODES.objectNode();
        ObjectNode messages = partlyBad.putObject("messages");
        messages.putObject(bob.userId()).set(bob.deviceId(), NODES.objectNode());
        messages.putObject(alice.userId()).put(alice.deviceId(), "not an object");
        assertError(alice.put(path + "g", partlyBad), 400, "M_BAD_JSON");
        assertError(hs.anonymous().put(path + "i", body(Map.of())), 401, "M_MISSING_TOKEN");

        assertThat(toDevice(bob.sync(null, Map.of()))).isEmpty();
        alice.put(path + "j", body(Map.of())).expect(200);
    }

    @Test
    void nullUsersDevicesAndContentsAreBadJson(TestHomeserver hs) {
        TestClient alice = hs.registerUser("alice");
        String path = "/_matrix/client/v3/sendToDevice/m.test/";
        ObjectNode nullUser = NODES.objectNode();
        nullUser.putObject("messages").putNull(alice.userId());
        assertError(alice.put(path + "a", nullUser), 400, "M_BAD_JSON");
        ObjectNode nullContent = NODES.objectNode();
        nullContent.putObject("messages").putObject(alice.userId()).putNull(alice.deviceId());
        assertError(alice.put(path + "b", nullContent), 400, "M_BAD_JSON");
        ObjectNode badDevice = NODES.objectNode();
        badDevice.putObject("messages").putObject(alice.userId()).putObject("");
        assertError(alice.put(path + "c", badDevice), 400, "M_INVALID_PARAM");
        assertError(alice.put(path + "d", NODES.objectNode().putNull("messages")), 400, "M_MISSING_PARAM");
        assertThat(toDevice(alice.sync(null, Map.of()))).isEmpty();
    }

    @Test
    void deletingADeviceDeletesItsInbox(TestHomeserver hs) {
        TestClient alice = hs.registerUser("alice");
        TestClient bob = hs.registerUser("bob", "pw");
        TestClient bobPhone = hs.login("bob", "pw");
        send(alice, "m.test", "t1", Map.of(bob.userId(), Map.of("*", NODES.objectNode())));
        assertThat(pending(hs, bobPhone)).isEqualTo(1);

        bob.request(
                        "DELETE",
                        "/_matrix/client/v3/devices/" + bobPhone.deviceId(),
                        passwordAuth(bob.userId(), "pw", null))
                .expect(200);
        assertThat(pending(hs, bobPhone)).isZero();
        assertThat(pending(hs, bob)).isEqualTo(1);
    }

    private static TestResponse send(TestClient from, String type, String txnId, Object messages) {
        ObjectNode body =
                messages instanceof ObjectNode node ? NODES.objectNode().set("messages", node) : body(messages);
        return from.put("/_matrix/client/v3/sendToDevice/" + TestClient.encode(type) + "/" + txnId, body);
    }

    private static ObjectNode body(Object messages) {
        return NODES.objectNode().set("messages", JSON.valueToTree(messages));
    }

    private static int pending(TestHomeserver hs, TestClient client) {
        return hs.homeserver()
                .testSeam()
                .pendingToDevice(UserId.parse(client.userId()), DeviceId.parse(client.deviceId()))
                .size();
    }

    private static JsonNode toDevice(JsonNode sync) {
        return sync.at("/to_device/events");
    }

    private static List<String> contents(JsonNode sync) {
        List<String> out = new ArrayList<>();
        toDevice(sync).forEach(e -> out.add(e.get("content").toString()));
        return out;
    }

    private static List<Integer> numbers(JsonNode sync) {
        List<Integer> out = new ArrayList<>();
        toDevice(sync).forEach(e -> out.add(e.at("/content/n").asInt()));
        return out;
    }

    private static List<Integer> range(int from, int to) {
        List<Integer> out = new ArrayList<>();
        for (int i = from; i < to; i++) {
            out.add(i);
        }
        return out;
    }
}
