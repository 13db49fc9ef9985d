package dev.myelin.server.api;

import static dev.myelin.server.api.SlidingSyncApiTest.sync;
import static dev.myelin.server.api.SyncApiTest.json;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.myelin.testing.HomeserverExtension;
import dev.myelin.testing.TestClient;
import dev.myelin.testing.TestHomeserver;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The extensions of simplified sliding sync: to-device, e2ee, account data, receipts and typing. */
@ExtendWith(HomeserverExtension.class)
class SlidingSyncExtensionsApiTest {
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    @Test
    void toDeviceMessagesAreDeliveredAndDeletedOnceAcknowledged(TestHomeserver hs) {
        TestClient alice = hs.registerUser("alice");
        TestClient bob = hs.registerUser("bob");
        alice.put(
                        "/_matrix/client/v3/sendToDevice/m.test/t1",
                        json("{\"messages\":{\"@bob:test.local\":{\"" + bob.deviceId() + "\":{\"n\":1}}}}"))
                .expect(200);
        String ext = "{\"extensions\":{\"to_device\":{\"enabled\":true%s}}}";
        String probe = "{\"conn_id\":\"probe\",\"extensions\":{\"to_device\":{\"enabled\":true}}}";
        JsonNode first = sync(bob, null, ext.formatted(""));
        JsonNode toDevice = first.at("/extensions/to_device");
        assertThat(toDevice.get("events"))
                .isEqualTo(json("[{\"type\":\"m.test\",\"sender\":\"@alice:test.local\",\"content\":{\"n\":1}}]"));
        String nextBatch = toDevice.get("next_batch").asText();

        // not acknowledged yet: a request without since gets it again
        assertThat(sync(bob, null, probe).at("/extensions/to_device/events")).hasSize(1);
        JsonNode acked = sync(bob, first.get("pos").asText(), ext.formatted(",\"since\":\"" + nextBatch + "\""));
        assertThat(acked.at("/extensions/to_device/events")).isEmpty();
        assertThat(sync(bob, null, probe).at("/extensions/to_device/events"))
                .as("deleted once acknowledged")
                .isEmpty();
    }

    @Test
    void e2eeCarriesKeyCountsAndDeviceListChanges(TestHomeserver hs) {
        TestClient alice = hs.registerUser("alice");
        TestClient bob = hs.registerUser("bob");
        String room = alice.createRoom(NODES.objectNode().put("preset", "public_chat"));
        bob.join(room).expect(200);
        alice.post(
                        "/_matrix/client/v3/keys/upload",
                        json("{\"one_time_keys\":{\"curve25519:A\":\"a\"},\"fallback_keys\":{\"curve25519:F\":\"f\"}}"))
                .expect(200);
        String body = "{\"extensions\":{\"e2ee\":{\"enabled\":true}}}";
        JsonNode first = sync(alice, null, body);
        assertThat(first.at("/extensions/e2ee")).isEqualTo(json("""
                {"device_lists":{"changed":[],"left":[]},
                 "device_one_time_keys_count":{"signed_curve25519":0,"curve25519":1},
                 "device_unused_fallback_key_types":["curve25519"]}"""));

        bob.post(
                        "/_matrix/client/v3/keys/upload",
                        json("{\"device_keys\":{\"user_id\":\"@bob:test.local\",\"device_id\":\"" + bob.deviceId()
                                + "\",\"algorithms\":[\"m.megolm.v1.aes-sha2\"],\"keys\":{\"ed25519:"
                                + bob.deviceId() + "\":\"k\"},\"signatures\":{}}}"))
                .expect(200);
        JsonNode next = sync(alice, first.get("pos").asText(), body);
        assertThat(next.at("/extensions/e2ee/device_lists/changed")).isEqualTo(json("[\"@bob:test.local\"]"));
    }

    @Test
    void accountDataIsGlobalAndPerRoomForTheRoomsInScope(TestHomeserver hs) {
        TestClient alice = hs.registerUser("alice");
        String room = alice.createRoom(null);
        String other = alice.createRoom(null);
        String user = "/_matrix/client/v3/user/" + TestClient.encode(alice.userId());
        alice.put(user + "/account_data/m.custom", json("{\"a\":1}")).expect(200);
        alice.put(user + "/rooms/" + TestClient.encode(room) + "/account_data/m.tagged", json("{\"b\":2}"))
                .expect(200);
        alice.put(user + "/rooms/" + TestClient.encode(other) + "/account_data/m.tagged", json("{\"c\":3}"))
                .expect(200);
        String body = "{\"room_subscriptions\":{\"" + room + "\":{\"timeline_limit\":0}},"
                + "\"extensions\":{\"account_data\":{\"enabled\":true}}}";
        JsonNode first = sync(alice, null, body);
        JsonNode accountData = first.at("/extensions/account_data");
        assertThat(SyncApiTest.keys(accountData.get("global"))).contains("m.custom", "m.push_rules");
        assertThat(accountData.get("rooms"))
                .isEqualTo(json("{\"" + room + "\":[{\"type\":\"m.tagged\",\"content\":{\"b\":2}}]}"));

        alice.put(user + "/account_data/m.custom", json("{\"a\":2}")).expect(200);
        JsonNode next = sync(alice, first.get("pos").asText(), body).at("/extensions/account_data");
        assertThat(next).isEqualTo(json("{\"global\":[{\"type\":\"m.custom\",\"content\":{\"a\":2}}],\"rooms\":{}}"));
    }

    @Test
    void receiptsAndTypingOfTheRoomsInScope(TestHomeserver hs) {
        TestClient alice = hs.registerUser("alice");
        TestClient bob = hs.registerUser("bob");
        String room = alice.createRoom(NODES.objectNode().put("preset", "public_chat"));
        bob.join(room).expect(200);
        String message = alice.sendMessage(room, "read me");
        String body = "{\"lists\":{\"l\":{\"ranges\":[[0,9]],\"timeline_limit\":1,\"required_state\":[]}},"
                + "\"extensions\":{\"receipts\":{\"enabled\":true},\"typing\":{\"enabled\":true}}}";
        JsonNode first = sync(bob, null, body);
        assertThat(first.at("/extensions/receipts/rooms")).isEmpty();

        String rooms = "/_matrix/client/v3/rooms/" + TestClient.encode(room);
        alice.post(rooms + "/receipt/m.read/" + TestClient.encode(message), NODES.objectNode())
                .expect(200);
        alice.put(
                        rooms + "/typing/" + TestClient.encode(alice.userId()),
                        NODES.objectNode().put("typing", true).put("timeout", 10_000))
                .expect(200);
        JsonNode next = sync(bob, first.get("pos").asText(), body);
        long ts = hs.clock().nowMillis();
        assertThat(next.at("/extensions/receipts/rooms/" + room))
                .isEqualTo(json("{\"type\":\"m.receipt\",\"content\":{\"" + message
                        + "\":{\"m.read\":{\"@alice:test.local\":{\"ts\":" + ts + "}}}}}"));
        assertThat(next.at("/extensions/typing/rooms/" + room))
                .isEqualTo(json("{\"type\":\"m.typing\",\"content\":{\"user_ids\":[\"@alice:test.local\"]}}"));
        JsonNode idle = sync(bob, next.get("pos").asText(), body);
        assertThat(idle.at("/extensions/receipts/rooms")).isEmpty();
        assertThat(idle.at("/extensions/typing/rooms")).isEmpty();
    }
}
