package dev.myelin.server.api.push;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.myelin.testing.HomeserverExtension;
import dev.myelin.testing.OverrideConfig;
import dev.myelin.testing.TestClient;
import dev.myelin.testing.TestHomeserver;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.Callback;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Notifications reach a push gateway: a fake one on 127.0.0.1 records each
 * {@code POST /_matrix/push/v1/notify} and answers what the test queued (200 {@code {}} unless
 * told otherwise). Loopback is allowed for outbound requests only because the config names it.
 */
@ExtendWith(HomeserverExtension.class)
@OverrideConfig(key = "ip_range_whitelist", value = "['127.0.0.1']")
class PushGatewayApiTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    private static final String NOTIFY = "/_matrix/push/v1/notify";

    /** A gateway's answer: its status and body. */
    private record Answer(int status, String body) {}

    private final BlockingQueue<JsonNode> received = new LinkedBlockingQueue<>();
    private final BlockingQueue<Answer> answers = new LinkedBlockingQueue<>();
    /** Pushkeys the gateway answers as rejected. */
    private final Set<String> rejecting = ConcurrentHashMap.newKeySet();

    private Server gateway;
    private int port;

    @BeforeEach
    void startGateway() throws Exception {
        gateway = new Server();
        ServerConnector connector = new ServerConnector(gateway);
        connector.setHost("127.0.0.1");
        connector.setPort(0);
        gateway.addConnector(connector);
        gateway.setHandler(new Handler.Abstract() {
            @Override
            public boolean handle(Request request, Response response, Callback callback) throws Exception {
                JsonNode body = JSON.readTree(Content.Source.asString(request, StandardCharsets.UTF_8));
                String pushkey = body.at("/notification/devices/0/pushkey").asText();
                Answer answer = answers.poll();
                if (answer == null) {
                    answer = rejecting.contains(pushkey)
                            ? new Answer(200, "{\"rejected\":[\"" + pushkey + "\"]}")
                            : new Answer(200, "{}");
                }
                if (Request.getPathInContext(request).equals(NOTIFY)) {
                    received.add(body);
                }
                response.setStatus(answer.status());
                response.getHeaders().put(HttpHeader.CONTENT_TYPE, "application/json");
                response.write(true, ByteBuffer.wrap(answer.body().getBytes(StandardCharsets.UTF_8)), callback);
                return true;
            }
        });
        gateway.start();
        port = connector.getLocalPort();
    }

    @AfterEach
    void stopGateway() throws Exception {
        gateway.stop();
    }

    private ObjectNode pusher(String pushkey) {
        ObjectNode pusher = NODES.objectNode()
                .put("kind", "http")
                .put("app_id", "dev.myelin.test")
                .put("app_display_name", "Test")
                .put("device_display_name", "Phone")
                .put("profile_tag", "tag")
                .put("pushkey", pushkey)
                .put("lang", "en");
        pusher.putObject("data").put("url", "http://127.0.0.1:" + port + NOTIFY).put("extra", "kept");
        return pusher;
    }

    private JsonNode nextPush() throws InterruptedException {
        JsonNode push = received.poll(10, TimeUnit.SECONDS);
        assertThat(push).as("a push within 10 s").isNotNull();
        return push;
    }

    /** A private two-person room of alice and bob, where alice has a pusher. */
    private String roomWithPusher(TestClient alice, TestClient bob, ObjectNode pusher) {
        String room = alice.createRoom(NODES.objectNode().put("preset", "private_chat"));
        alice.invite(room, bob.userId()).expect(200);
        bob.join(room).expect(200);
        alice.post("/_matrix/client/v3/pushers/set", pusher).expect(200);
        return room;
    }

    private static void receipt(TestClient client, String room, String event) {
        client.post(
                        "/_matrix/client/v3/rooms/" + TestClient.encode(room) + "/receipt/m.read/"
                                + TestClient.encode(event),
                        NODES.objectNode())
                .expect(200);
    }

    @Test
    void aMessagePushesTheEventAndAReceiptPushesTheNewCount(TestHomeserver hs) throws Exception {
        TestClient alice = hs.registerUser("alice");
        TestClient bob = hs.registerUser("bob");
        String room = roomWithPusher(alice, bob, pusher("key-1"));
        long setAt = hs.clock().nowMillis() / 1000;
        String event = bob.sendMessage(room, "hello alice");

        JsonNode push = nextPush();
        ObjectNode expected = (ObjectNode) JSON.readTree("""
                {"notification":{"event_id":"%1$s","room_id":"%2$s","id":"%1$s","type":"m.room.message",
                 "sender":"@bob:test.local","sender_display_name":"bob","content":{"msgtype":"m.text","body":"hello alice"},
                 "prio":"high","counts":{"unread":1},
                 "devices":[{"app_id":"dev.myelin.test","pushkey":"key-1","pushkey_ts":%3$d,
                             "data":{"extra":"kept"},"tweaks":{"sound":"default"}}]}}""".formatted(event, room, setAt));
        assertThat(push).isEqualTo(expected);

        JsonNode list =
                alice.get("/_matrix/client/v3/notifications").expect(200).json();
        assertThat(list.get("notifications")).hasSize(1);
        JsonNode notification = list.at("/notifications/0");
        assertThat(notification.get("room_id").asText()).isEqualTo(room);
        assertThat(notification.at("/event/event_id").asText()).isEqualTo(event);
        assertThat(notification.get("read").asBoolean()).isFalse();
        assertThat(notification.get("actions"))
                .isEqualTo(JSON.readTree("[\"notify\",{\"set_tweak\":\"sound\"," + "\"value\":\"default\"}]"));
        assertThat(notification.has("profile_tag")).isTrue();
        assertThat(notification.get("ts").asLong()).isEqualTo(hs.clock().nowMillis());

        receipt(alice, room, event);
        JsonNode badge = nextPush();
        assertThat(badge.at("/notification/counts")).isEqualTo(JSON.readTree("{\"unread\":0}"));
        assertThat(badge.at("/notification").has("event_id")).isFalse();
        assertThat(alice.get("/_matrix/client/v3/notifications")
                        .json()
                        .at("/notifications/0/read")
                        .asBoolean())
                .isTrue();
        // bob sent the message, so his only notification is alice's invite
        JsonNode bobs = bob.get("/_matrix/client/v3/notifications").json().get("notifications");
        assertThat(bobs).hasSize(1);
        assertThat(bobs.at("/0/event/content/membership").asText()).isEqualTo("invite");
    }

    @Test
    void eventIdOnlyPushersGetNoContent(TestHomeserver hs) throws Exception {
        TestClient alice = hs.registerUser("alice");
        TestClient bob = hs.registerUser("bob");
        ObjectNode pusher = pusher("key-1");
        ((ObjectNode) pusher.get("data")).put("format", "event_id_only");
        String room = roomWithPusher(alice, bob, pusher);
        String event = bob.sendMessage(room, "secret");
        JsonNode notification = nextPush().get("notification");
        assertThat(notification.fieldNames())
                .toIterable()
                .containsExactlyInAnyOrder("event_id", "room_id", "prio", "counts", "devices");
        assertThat(notification.get("event_id").asText()).isEqualTo(event);
        assertThat(notification.at("/devices/0/data"))
                .isEqualTo(JSON.readTree("{\"extra\":\"kept\",\"format\":\"event_id_only\"}"));
    }

    @Test
    void aGroupRoomMessageIsLowPriorityWithoutTweaks(TestHomeserver hs) throws Exception {
        TestClient alice = hs.registerUser("alice");
        TestClient bob = hs.registerUser("bob");
        TestClient carol = hs.registerUser("carol");
        String room = roomWithPusher(alice, bob, pusher("key-1"));
        alice.invite(room, carol.userId()).expect(200);
        carol.join(room).expect(200);
        bob.sendMessage(room, "to all three");
        JsonNode notification = nextPush().get("notification");
        // .m.rule.message: notify, no sound, no highlight
        assertThat(notification.get("prio").asText()).isEqualTo("low");
        assertThat(notification.at("/devices/0/tweaks")).isEmpty();
        assertThat(notification.at("/counts/unread").asInt()).isEqualTo(1);
    }

    @Test
    void anInviteIsPushedToTheInvitedUser(TestHomeserver hs) throws Exception {
        TestClient alice = hs.registerUser("alice");
        TestClient bob = hs.registerUser("bob");
        alice.post("/_matrix/client/v3/pushers/set", pusher("key-1")).expect(200);
        String room = bob.createRoom(NODES.objectNode().put("preset", "private_chat"));
        bob.sendState(room, "m.room.name", "", NODES.objectNode().put("name", "Tea"));
        bob.invite(room, alice.userId()).expect(200);
        JsonNode notification = nextPush().get("notification");
        assertThat(notification.get("type").asText()).isEqualTo("m.room.member");
        assertThat(notification.get("membership").asText()).isEqualTo("invite");
        assertThat(notification.get("user_is_target").asBoolean()).isTrue();
        assertThat(notification.get("room_name").asText()).isEqualTo("Tea");
        assertThat(notification.get("sender").asText()).isEqualTo("@bob:test.local");
    }

    @Test
    void aRejectedPushkeyRemovesItsPusherOnly(TestHomeserver hs) throws Exception {
        TestClient alice = hs.registerUser("alice");
        TestClient bob = hs.registerUser("bob");
        String room = roomWithPusher(alice, bob, pusher("key-1"));
        alice.post("/_matrix/client/v3/pushers/set", pusher("key-2")).expect(200);
        rejecting.add("key-1");
        bob.sendMessage(room, "one");
        nextPush();
        nextPush();
        awaitPushkeys(alice, "key-2");
        bob.sendMessage(room, "two");
        assertThat(nextPush().at("/notification/devices/0/pushkey").asText()).isEqualTo("key-2");
        assertThat(received.poll(300, TimeUnit.MILLISECONDS)).isNull();
    }

    @Test
    void aFailingGatewayIsRetriedWithBackoff(TestHomeserver hs) throws Exception {
        TestClient alice = hs.registerUser("alice");
        TestClient bob = hs.registerUser("bob");
        String room = roomWithPusher(alice, bob, pusher("key-1"));
        answers.add(new Answer(500, "{}"));
        answers.add(new Answer(503, "{}"));
        String event = bob.sendMessage(room, "persist");
        assertThat(nextPush().at("/notification/event_id").asText()).isEqualTo(event);
        assertThat(received.poll(300, TimeUnit.MILLISECONDS))
                .as("no retry before the backoff")
                .isNull();
        advanceUntilPushed(hs, Duration.ofSeconds(1));
        // the second retry waits twice as long
        hs.clock().advance(Duration.ofSeconds(1));
        assertThat(received.poll(300, TimeUnit.MILLISECONDS)).isNull();
        advanceUntilPushed(hs, Duration.ofSeconds(1));
    }

    @Test
    @OverrideConfig(key = "ip_range_whitelist", value = "[]")
    void aGatewayOnABlockedAddressIsNeverContacted(TestHomeserver hs) throws Exception {
        TestClient alice = hs.registerUser("alice");
        TestClient bob = hs.registerUser("bob");
        String room = roomWithPusher(alice, bob, pusher("key-1"));
        bob.sendMessage(room, "nobody hears this");
        // the notification is still recorded for GET /notifications
        awaitNotifications(alice, 1);
        assertThat(received.poll(300, TimeUnit.MILLISECONDS)).isNull();
    }

    @Test
    void notificationsPageAndFilterHighlights(TestHomeserver hs) throws Exception {
        TestClient alice = hs.registerUser("alice");
        TestClient bob = hs.registerUser("bob");
        String room = alice.createRoom(NODES.objectNode().put("preset", "private_chat"));
        alice.invite(room, bob.userId()).expect(200);
        bob.join(room).expect(200);
        bob.sendMessage(room, "one");
        String mention = bob.sendEvent(
                room,
                "m.room.message",
                NODES.objectNode()
                        .put("msgtype", "m.text")
                        .put("body", "alice!")
                        .set(
                                "m.mentions",
                                NODES.objectNode()
                                        .set("user_ids", NODES.arrayNode().add(alice.userId()))));
        String three = bob.sendMessage(room, "three");
        awaitNotifications(alice, 3);

        JsonNode first = alice.get("/_matrix/client/v3/notifications?limit=2")
                .expect(200)
                .json();
        assertThat(first.get("notifications")).hasSize(2);
        assertThat(first.at("/notifications/0/event/event_id").asText()).isEqualTo(three);
        String next = first.get("next_token").asText();
        JsonNode second = alice.get("/_matrix/client/v3/notifications?limit=2&from=" + next)
                .expect(200)
                .json();
        assertThat(second.get("notifications")).hasSize(1);
        assertThat(second.has("next_token")).isFalse();

        JsonNode highlights = alice.get("/_matrix/client/v3/notifications?only=highlight")
                .expect(200)
                .json();
        assertThat(highlights.get("notifications")).hasSize(1);
        assertThat(highlights.at("/notifications/0/event/event_id").asText()).isEqualTo(mention);

        for (String bad : new String[] {"from=abc", "from=-1", "limit=-1", "limit=x"}) {
            var response = alice.get("/_matrix/client/v3/notifications?" + bad);
            assertThat(response.status()).as(bad).isEqualTo(400);
            assertThat(response.errcode()).as(bad).isEqualTo("M_INVALID_PARAM");
        }
        assertThat(hs.anonymous().get("/_matrix/client/v3/notifications").status())
                .isEqualTo(401);
    }

    private void advanceUntilPushed(TestHomeserver hs, Duration step) throws InterruptedException {
        for (int i = 0; i < 100; i++) {
            hs.clock().advance(step.dividedBy(10));
            JsonNode push = received.poll(50, TimeUnit.MILLISECONDS);
            if (push != null) {
                return;
            }
        }
        throw new AssertionError("no retry arrived");
    }

    private static void awaitPushkeys(TestClient client, String... pushkeys) throws InterruptedException {
        for (int i = 0; i < 100; i++) {
            JsonNode pushers = client.get("/_matrix/client/v3/pushers").json().get("pushers");
            if (pushers.size() == pushkeys.length) {
                for (int j = 0; j < pushkeys.length; j++) {
                    assertThat(pushers.get(j).get("pushkey").asText()).isEqualTo(pushkeys[j]);
                }
                return;
            }
            Thread.sleep(50);
        }
        throw new AssertionError("pushers never became " + String.join(", ", pushkeys));
    }

    private static void awaitNotifications(TestClient client, int count) throws InterruptedException {
        for (int i = 0; i < 100; i++) {
            if (client.get("/_matrix/client/v3/notifications")
                            .json()
                            .get("notifications")
                            .size()
                    >= count) {
                return;
            }
            Thread.sleep(50);
        }
        throw new AssertionError("fewer than " + count + " notifications");
    }
}
