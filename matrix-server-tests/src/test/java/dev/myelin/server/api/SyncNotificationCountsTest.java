package dev.myelin.server.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.myelin.testing.HomeserverExtension;
import dev.myelin.testing.TestClient;
import dev.myelin.testing.TestHomeserver;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The push-rule driven unread counts that /sync reports, and read receipts clearing them. */
@ExtendWith(HomeserverExtension.class)
class SyncNotificationCountsTest {
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private static JsonNode counts(TestClient client, String room) {
        return client.sync(null, Map.of()).at("/rooms/join").get(room).get("unread_notifications");
    }

    @Test
    void countsMessagesAndMentionsUntilAReadReceiptClearsThem(TestHomeserver hs) {
        TestClient alice = hs.registerUser("alice");
        TestClient bob = hs.registerUser("bob");
        String room = alice.createRoom(NODES.objectNode().put("preset", "public_chat"));
        bob.join(room).expect(200);
        alice.sendMessage(room, "hello everyone");
        String mention = alice.sendEvent(
                room,
                "m.room.message",
                NODES.objectNode()
                        .put("msgtype", "m.text")
                        .put("body", "bob: look")
                        .set(
                                "m.mentions",
                                NODES.objectNode()
                                        .set("user_ids", NODES.arrayNode().add("@bob:test.local"))));

        JsonNode unread = counts(bob, room);
        assertThat(unread.get("notification_count").asInt()).isEqualTo(2);
        assertThat(unread.get("highlight_count").asInt()).isEqualTo(1);
        assertThat(counts(alice, room).get("notification_count").asInt())
                .as("own messages never count")
                .isZero();

        bob.post(
                        "/_matrix/client/v3/rooms/" + TestClient.encode(room) + "/receipt/m.read/"
                                + TestClient.encode(mention),
                        NODES.objectNode())
                .expect(200);
        JsonNode afterRead = counts(bob, room);
        assertThat(afterRead.get("notification_count").asInt()).isZero();
        assertThat(afterRead.get("highlight_count").asInt()).isZero();
    }
}
