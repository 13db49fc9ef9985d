package dev.myelin.server.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.myelin.testing.HomeserverExtension;
import dev.myelin.testing.TestClient;
import dev.myelin.testing.TestHomeserver;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Unread counts are kept between syncs and carried forward over new events: every change they rest
 * on, made by another request, must show in the next count.
 */
@ExtendWith(HomeserverExtension.class)
class UnreadCountsCarriedForwardTest {
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private static long notifications(TestClient client, String room) {
        JsonNode entry = client.sync(null, Map.of()).at("/rooms/join").get(room);
        return entry.at("/unread_notifications/notification_count").asLong();
    }

    private static long highlights(TestClient client, String room) {
        JsonNode entry = client.sync(null, Map.of()).at("/rooms/join").get(room);
        return entry.at("/unread_notifications/highlight_count").asLong();
    }

    @Test
    void eachChangeACountRestsOnShowsInTheNextCount(TestHomeserver hs) {
        TestClient alice = hs.registerUser("alice");
        TestClient bob = hs.registerUser("bob");
        String room = alice.createRoom(NODES.objectNode().put("preset", "public_chat"));
        bob.join(room).expect(200);
        List<String> sent = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            sent.add(alice.sendMessage(room, "message " + i));
        }
        assertThat(notifications(bob, room)).isEqualTo(3);

        sent.add(alice.sendMessage(room, "one more"));
        assertThat(notifications(bob, room)).as("a new message").isEqualTo(4);

        bob.post(
                        "/_matrix/client/v3/rooms/" + TestClient.encode(room) + "/receipt/m.read/"
                                + TestClient.encode(sent.get(1)),
                        NODES.objectNode())
                .expect(200);
        assertThat(notifications(bob, room)).as("a read receipt").isEqualTo(2);

        alice.put(
                        "/_matrix/client/v3/rooms/" + TestClient.encode(room) + "/redact/"
                                + TestClient.encode(sent.get(3)) + "/r1",
                        NODES.objectNode())
                .expect(200);
        assertThat(notifications(bob, room))
                .as("a redaction of an unread message")
                .isEqualTo(1);

        bob.put(
                        "/_matrix/client/v3/pushrules/global/room/" + TestClient.encode(room),
                        NODES.objectNode().set("actions", NODES.arrayNode().add("dont_notify")))
                .expect(200);
        assertThat(notifications(bob, room)).as("a push rule change").isZero();
        bob.request("DELETE", "/_matrix/client/v3/pushrules/global/room/" + TestClient.encode(room), null)
                .expect(200);
        assertThat(notifications(bob, room)).as("the rule removed again").isEqualTo(1);

        bob.put(
                        "/_matrix/client/v3/pushrules/global/override/display_name",
                        NODES.objectNode()
                                .<com.fasterxml.jackson.databind.node.ObjectNode>set(
                                        "conditions",
                                        NODES.arrayNode().add(NODES.objectNode().put("kind", "contains_display_name")))
                                .set(
                                        "actions",
                                        NODES.arrayNode()
                                                .add("notify")
                                                .add(NODES.objectNode()
                                                        .put("set_tweak", "highlight")
                                                        .put("value", true))))
                .expect(200);
        assertThat(highlights(bob, room)).isZero();
        bob.put(
                        "/_matrix/client/v3/profile/" + TestClient.encode(bob.userId()) + "/displayname",
                        NODES.objectNode().put("displayname", "Robert"))
                .expect(200);
        alice.sendMessage(room, "Robert, are you there?");
        assertThat(highlights(bob, room))
                .as("a mention of the display name bob took after the count was first made")
                .isEqualTo(1);
    }

    @Test
    void messagesSentWhileSyncsRunAreAllCounted(TestHomeserver hs) throws Exception {
        TestClient alice = hs.registerUser("alice");
        TestClient bob = hs.registerUser("bob");
        String room = alice.createRoom(NODES.objectNode().put("preset", "public_chat"));
        bob.join(room).expect(200);
        int messages = 40;
        CompletableFuture<Void> sending = CompletableFuture.runAsync(
                () -> {
                    for (int i = 0; i < messages; i++) {
                        alice.sendMessage(room, "m" + i);
                    }
                },
                r -> Thread.ofVirtual().start(r));
        while (!sending.isDone()) {
            notifications(bob, room);
        }
        sending.get();
        assertThat(notifications(bob, room)).isEqualTo(messages);
    }
}
