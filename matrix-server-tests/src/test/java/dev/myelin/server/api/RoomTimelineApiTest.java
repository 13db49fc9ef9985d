package dev.myelin.server.api;

import static dev.myelin.testing.TestClient.encode;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.myelin.testing.HomeserverExtension;
import dev.myelin.testing.TestClient;
import dev.myelin.testing.TestHomeserver;
import dev.myelin.testing.TestResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(HomeserverExtension.class)
class RoomTimelineApiTest {
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    private static final String V3 = "/_matrix/client/v3";

    private static String rooms(String room) {
        return V3 + "/rooms/" + encode(room);
    }

    private static List<String> bodies(JsonNode events) {
        List<String> out = new ArrayList<>();
        events.forEach(e -> {
            if (e.get("type").asText().equals("m.room.message")) {
                out.add(e.at("/content/body").asText());
            }
        });
        return out;
    }

    private static List<String> types(JsonNode events) {
        List<String> out = new ArrayList<>();
        events.forEach(e -> out.add(e.get("type").asText()));
        return out;
    }

    @Test
    void paginatesBackwardsAndForwardsWithTokens(TestHomeserver hs) {
        TestClient alice = hs.registerUser("alice");
        String room = alice.createRoom(null);
        for (int i = 1; i <= 5; i++) {
            alice.sendMessage(room, "m" + i);
        }

        JsonNode first =
                alice.get(rooms(room) + "/messages?dir=b&limit=2").expect(200).json();
        assertThat(bodies(first.get("chunk"))).containsExactly("m5", "m4");
        JsonNode second = alice.get(rooms(room) + "/messages?dir=b&limit=2&from="
                        + encode(first.get("end").asText()))
                .expect(200)
                .json();
        assertThat(second.get("start").asText()).isEqualTo(first.get("end").asText());
        assertThat(bodies(second.get("chunk"))).containsExactly("m3", "m2");

        JsonNode forwards = alice.get(rooms(room) + "/messages?dir=f&limit=3&from="
                        + encode(second.get("end").asText()))
                .expect(200)
                .json();
        assertThat(bodies(forwards.get("chunk"))).containsExactly("m2", "m3", "m4");

        JsonNode all =
                alice.get(rooms(room) + "/messages?dir=b&limit=100").expect(200).json();
        assertThat(bodies(all.get("chunk"))).containsExactly("m5", "m4", "m3", "m2", "m1");
        assertThat(types(all.get("chunk"))).endsWith("m.room.member", "m.room.create");
        // as with Synapse, a page that reached the start still has an end; the page after it has none
        JsonNode past = alice.get(rooms(room) + "/messages?dir=b&from="
                        + encode(all.get("end").asText()))
                .expect(200)
                .json();
        assertThat(past.get("chunk")).isEmpty();
        assertThat(past.has("end")).as("no more events").isFalse();

        JsonNode bounded = alice.get(rooms(room) + "/messages?dir=b&from="
                        + encode(first.get("end").asText()) + "&to="
                        + encode(second.get("end").asText()))
                .expect(200)
                .json();
        assertThat(bodies(bounded.get("chunk"))).containsExactly("m3", "m2");
    }

    @Test
    void newEventsAppearWhenPaginatingForwardsFromTheStart(TestHomeserver hs) {
        TestClient alice = hs.registerUser("alice");
        String room = alice.createRoom(null);
        alice.sendMessage(room, "old");
        String start = alice.get(rooms(room) + "/messages?dir=b&limit=1")
                .expect(200)
                .json()
                .get("start")
                .asText();
        alice.sendMessage(room, "new");
        JsonNode forwards = alice.get(rooms(room) + "/messages?dir=f&from=" + encode(start))
                .expect(200)
                .json();
        assertThat(bodies(forwards.get("chunk"))).containsExactly("new");
    }

    @Test
    void filtersByTypeSenderAndLazyLoadsMembers(TestHomeserver hs) {
        TestClient alice = hs.registerUser("alice");
        TestClient bob = hs.registerUser("bob");
        String room = alice.createRoom(NODES.objectNode().put("preset", "public_chat"));
        bob.join(room).expect(200);
        alice.sendMessage(room, "from alice");
        bob.sendMessage(room, "from bob");
        bob.sendEvent(room, "org.example.custom", NODES.objectNode().put("k", "v"));

        String onlyBob = "{\"types\":[\"m.room.*\"],\"not_types\":[\"m.room.member\"],\"senders\":[\"" + bob.userId()
                + "\"],\"lazy_load_members\":true}";
        JsonNode page = alice.get(rooms(room) + "/messages?dir=b&filter=" + encode(onlyBob))
                .expect(200)
                .json();
        assertThat(bodies(page.get("chunk"))).containsExactly("from bob");
        assertThat(page.get("chunk")).hasSize(1);
        assertThat(page.get("state")).hasSize(1);
        assertThat(page.at("/state/0/state_key").asText()).isEqualTo(bob.userId());
        assertThat(page.at("/state/0/content/membership").asText()).isEqualTo("join");

        JsonNode notCustom = alice.get(
                        rooms(room) + "/messages?dir=b&limit=2&filter=" + encode("{\"not_types\":[\"org.example.*\"]}"))
                .expect(200)
                .json();
        assertThat(bodies(notCustom.get("chunk"))).containsExactly("from bob", "from alice");
        assertThat(notCustom.has("state")).isFalse();
    }

    @Test
    void badPaginationInputIsRejected(TestHomeserver hs) {
        TestClient alice = hs.registerUser("alice");
        String room = alice.createRoom(null);
        for (String query : List.of(
                "from=nonsense",
                "to=t1",
                "from=t1-x",
                "dir=sideways",
                "limit=-1",
                "limit=many",
                "filter=" + encode("{not json"),
                "filter=" + encode("{\"types\":\"m.room.message\"}"),
                "filter=" + encode("[1]"))) {
            TestResponse response = alice.get(rooms(room) + "/messages?" + query);
            assertThat(response.status()).as(query).isEqualTo(400);
            assertThat(response.errcode()).as(query).isEqualTo("M_INVALID_PARAM");
        }
        TestResponse outsider = hs.registerUser("bob").get(rooms(room) + "/messages");
        assertThat(outsider.status()).isEqualTo(403);
        assertThat(outsider.errcode()).isEqualTo("M_FORBIDDEN");
        TestResponse unknown = alice.get(rooms("!nowhere:test.local") + "/messages");
        assertThat(unknown.status()).isEqualTo(404);
    }

    @Test
    void contextReturnsEventsAroundWithStateAndTokens(TestHomeserver hs) {
        TestClient alice = hs.registerUser("alice");
        String room = alice.createRoom(NODES.objectNode().put("name", "Ctx"));
        List<String> ids = new ArrayList<>();
        for (int i = 1; i <= 7; i++) {
            ids.add(alice.sendMessage(room, "m" + i));
        }

        JsonNode context = alice.get(rooms(room) + "/context/" + encode(ids.get(3)) + "?limit=4")
                .expect(200)
                .json();

        assertThat(context.at("/event/event_id").asText()).isEqualTo(ids.get(3));
        assertThat(bodies(context.get("events_before"))).containsExactly("m3", "m2");
        assertThat(bodies(context.get("events_after"))).containsExactly("m5", "m6");
        List<String> stateTypes = types(context.get("state"));
        assertThat(stateTypes).contains("m.room.create", "m.room.name", "m.room.member");
        JsonNode earlier = alice.get(rooms(room) + "/messages?dir=b&limit=1&from="
                        + encode(context.get("start").asText()))
                .expect(200)
                .json();
        assertThat(bodies(earlier.get("chunk"))).containsExactly("m1");
        JsonNode later = alice.get(rooms(room) + "/messages?dir=f&limit=5&from="
                        + encode(context.get("end").asText()))
                .expect(200)
                .json();
        assertThat(bodies(later.get("chunk"))).containsExactly("m7");

        TestResponse unknown = alice.get(rooms(room) + "/context/" + encode("$unknown"));
        assertThat(unknown.status()).isEqualTo(404);
        assertThat(unknown.errcode()).isEqualTo("M_NOT_FOUND");
        TestResponse badLimit = alice.get(rooms(room) + "/context/" + encode(ids.get(0)) + "?limit=x");
        assertThat(badLimit.errcode()).isEqualTo("M_INVALID_PARAM");
    }

    @Test
    void eventByIdIsInClientFormat(TestHomeserver hs) {
        TestClient alice = hs.registerUser("alice");
        String room = alice.createRoom(null);
        String id = alice.sendMessage(room, "hello");
        JsonNode event =
                alice.get(rooms(room) + "/event/" + encode(id)).expect(200).json();
        assertThat(event.get("event_id").asText()).isEqualTo(id);
        assertThat(event.get("room_id").asText()).isEqualTo(room);
        assertThat(event.get("sender").asText()).isEqualTo(alice.userId());
        assertThat(event.get("type").asText()).isEqualTo("m.room.message");
        assertThat(event.get("content"))
                .isEqualTo(NODES.objectNode().put("msgtype", "m.text").put("body", "hello"));
        assertThat(event.get("origin_server_ts").asLong()).isEqualTo(hs.clock().nowMillis());
        assertThat(event.has("state_key")).isFalse();

        TestResponse unknown = alice.get(rooms(room) + "/event/" + encode("$nope"));
        assertThat(unknown.status()).isEqualTo(404);
        assertThat(unknown.errcode()).isEqualTo("M_NOT_FOUND");
        TestResponse malformed = alice.get(rooms(room) + "/event/nope");
        assertThat(malformed.status()).isEqualTo(400);
        String other = alice.createRoom(null);
        assertThat(alice.get(rooms(other) + "/event/" + encode(id)).status())
                .as("event of another room")
                .isEqualTo(404);
    }

    @Test
    void redactionsNeedPowerAndAreServedRedacted(TestHomeserver hs) {
        TestClient alice = hs.registerUser("alice");
        TestClient bob = hs.registerUser("bob");
        String room = alice.createRoom(NODES.objectNode().put("preset", "public_chat"));
        bob.join(room).expect(200);
        String aliceMsg = alice.sendMessage(room, "secret");
        String bobMsg = bob.sendMessage(room, "oops");

        TestResponse forbidden = bob.put(rooms(room) + "/redact/" + encode(aliceMsg) + "/r1", NODES.objectNode());
        assertThat(forbidden.status()).isEqualTo(403);
        assertThat(forbidden.errcode()).isEqualTo("M_FORBIDDEN");

        String own = bob.put(
                        rooms(room) + "/redact/" + encode(bobMsg) + "/r2",
                        NODES.objectNode().put("reason", "typo"))
                .expect(200)
                .json()
                .get("event_id")
                .asText();
        String retried = bob.put(
                        rooms(room) + "/redact/" + encode(bobMsg) + "/r2",
                        NODES.objectNode().put("reason", "typo"))
                .expect(200)
                .json()
                .get("event_id")
                .asText();
        assertThat(retried).isEqualTo(own);
        String byAdmin = alice.put(rooms(room) + "/redact/" + encode(aliceMsg) + "/r3", NODES.objectNode())
                .expect(200)
                .json()
                .get("event_id")
                .asText();
        assertThat(byAdmin).isNotEqualTo(own);

        JsonNode redacted =
                alice.get(rooms(room) + "/event/" + encode(bobMsg)).expect(200).json();
        assertThat(redacted.get("content")).isEqualTo(NODES.objectNode());
        assertThat(redacted.at("/unsigned/redacted_because/event_id").asText()).isEqualTo(own);
        assertThat(redacted.at("/unsigned/redacted_because/content/reason").asText())
                .isEqualTo("typo");
        assertThat(redacted.at("/unsigned/redacted_because/redacts").asText()).isEqualTo(bobMsg);

        JsonNode page =
                alice.get(rooms(room) + "/messages?dir=b&limit=4").expect(200).json();
        JsonNode redaction = page.get("chunk").get(0);
        assertThat(redaction.get("type").asText()).isEqualTo("m.room.redaction");
        assertThat(redaction.get("redacts").asText()).isEqualTo(aliceMsg);
        assertThat(page.get("chunk").get(2).get("event_id").asText()).isEqualTo(bobMsg);
        assertThat(page.get("chunk").get(2).get("content")).isEqualTo(NODES.objectNode());

        String other = alice.createRoom(null);
        String elsewhere = alice.sendMessage(other, "elsewhere");
        TestResponse crossRoom = alice.put(rooms(room) + "/redact/" + encode(elsewhere) + "/r4", NODES.objectNode());
        assertThat(crossRoom.status()).isEqualTo(400);
        assertThat(crossRoom.errcode()).isEqualTo("M_INVALID_PARAM");
        assertThat(alice.get(rooms(other) + "/event/" + encode(elsewhere))
                        .json()
                        .at("/content/body")
                        .asText())
                .isEqualTo("elsewhere");
    }

    @Test
    void findsTheEventClosestToATimestamp(TestHomeserver hs) {
        TestClient alice = hs.registerUser("alice");
        String room = alice.createRoom(null);
        long t1 = hs.clock().nowMillis();
        hs.clock().advance(Duration.ofMinutes(1));
        String first = alice.sendMessage(room, "first");
        long t2 = hs.clock().nowMillis();
        hs.clock().advance(Duration.ofMinutes(10));
        String second = alice.sendMessage(room, "second");
        String path = "/_matrix/client/v1/rooms/" + encode(room) + "/timestamp_to_event";

        JsonNode forwards =
                alice.get(path + "?dir=f&ts=" + (t1 + 1)).expect(200).json();
        assertThat(forwards).isEqualTo(NODES.objectNode().put("event_id", first).put("origin_server_ts", t2));
        JsonNode backwards =
                alice.get(path + "?dir=b&ts=" + (t2 + 60_000)).expect(200).json();
        assertThat(backwards.get("event_id").asText()).isEqualTo(first);
        assertThat(alice.get(path + "?dir=b&ts=" + hs.clock().nowMillis())
                        .expect(200)
                        .json()
                        .get("event_id")
                        .asText())
                .isEqualTo(second);
        TestResponse none = alice.get(path + "?dir=f&ts=" + (hs.clock().nowMillis() + 1));
        assertThat(none.status()).isEqualTo(404);
        assertThat(none.errcode()).isEqualTo("M_NOT_FOUND");
        assertThat(alice.get(path + "?dir=f").errcode()).isEqualTo("M_MISSING_PARAM");
        assertThat(alice.get(path + "?dir=x&ts=1").errcode()).isEqualTo("M_INVALID_PARAM");
        assertThat(alice.get(path + "?dir=f&ts=soon").errcode()).isEqualTo("M_INVALID_PARAM");
    }

    private static ObjectNode visibility(String value) {
        return NODES.objectNode().put("history_visibility", value);
    }

    @Test
    void joinedVisibilityHidesHistoryBeforeTheJoin(TestHomeserver hs) {
        TestClient alice = hs.registerUser("alice");
        TestClient bob = hs.registerUser("bob");
        String room = alice.createRoom(NODES.objectNode().put("preset", "public_chat"));
        alice.sendState(room, "m.room.history_visibility", "", visibility("joined"));
        String hidden = alice.sendMessage(room, "before bob");
        bob.join(room).expect(200);
        String seen = alice.sendMessage(room, "after bob");

        JsonNode page =
                bob.get(rooms(room) + "/messages?dir=b&limit=50").expect(200).json();
        assertThat(bodies(page.get("chunk"))).containsExactly("after bob");
        assertThat(page.get("chunk").get(1).get("type").asText())
                .as("bob sees his own join")
                .isEqualTo("m.room.member");
        // what came before the switch to "joined" was shared, so bob sees it as a member now
        assertThat(types(page.get("chunk")))
                .containsExactly(
                        "m.room.message",
                        "m.room.member",
                        "m.room.history_visibility",
                        "m.room.history_visibility",
                        "m.room.join_rules",
                        "m.room.power_levels",
                        "m.room.member",
                        "m.room.create");

        TestResponse event = bob.get(rooms(room) + "/event/" + encode(hidden));
        assertThat(event.status()).isEqualTo(404);
        assertThat(event.errcode()).isEqualTo("M_NOT_FOUND");
        assertThat(bob.get(rooms(room) + "/context/" + encode(hidden)).status()).isEqualTo(404);
        JsonNode context =
                bob.get(rooms(room) + "/context/" + encode(seen)).expect(200).json();
        assertThat(bodies(context.get("events_before"))).isEmpty();
        assertThat(types(context.get("events_before")))
                .containsExactly(
                        "m.room.member",
                        "m.room.history_visibility",
                        "m.room.history_visibility",
                        "m.room.join_rules",
                        "m.room.power_levels");

        assertThat(bodies(alice.get(rooms(room) + "/messages?dir=b").json().get("chunk")))
                .containsExactly("after bob", "before bob");
    }

    @Test
    void sharedVisibilityShowsEarlierHistoryToNewMembers(TestHomeserver hs) {
        TestClient alice = hs.registerUser("alice");
        TestClient bob = hs.registerUser("bob");
        String room = alice.createRoom(NODES.objectNode().put("preset", "public_chat"));
        String earlier = alice.sendMessage(room, "before bob");
        bob.join(room).expect(200);
        assertThat(bob.get(rooms(room) + "/event/" + encode(earlier))
                        .expect(200)
                        .json()
                        .at("/content/body")
                        .asText())
                .isEqualTo("before bob");
    }

    @Test
    void leftUsersSeeHistoryUpToTheirLeave(TestHomeserver hs) {
        TestClient alice = hs.registerUser("alice");
        TestClient bob = hs.registerUser("bob");
        String room = alice.createRoom(NODES.objectNode().put("preset", "public_chat"));
        alice.sendState(room, "m.room.history_visibility", "", visibility("joined"));
        bob.join(room).expect(200);
        String during = alice.sendMessage(room, "while bob is here");
        bob.post(rooms(room) + "/leave", NODES.objectNode()).expect(200);
        String after = alice.sendMessage(room, "after bob left");

        JsonNode page =
                bob.get(rooms(room) + "/messages?dir=b&limit=50").expect(200).json();
        assertThat(bodies(page.get("chunk"))).containsExactly("while bob is here");
        assertThat(page.at("/chunk/0/type").asText()).as("his own leave").isEqualTo("m.room.member");
        assertThat(page.at("/chunk/0/content/membership").asText()).isEqualTo("leave");
        JsonNode forwards =
                bob.get(rooms(room) + "/messages?dir=f&limit=50").expect(200).json();
        assertThat(bodies(forwards.get("chunk"))).containsExactly("while bob is here");
        assertThat(bob.get(rooms(room) + "/event/" + encode(during)).status()).isEqualTo(200);
        assertThat(bob.get(rooms(room) + "/event/" + encode(after)).status()).isEqualTo(404);
        JsonNode context =
                bob.get(rooms(room) + "/context/" + encode(during)).expect(200).json();
        assertThat(bodies(context.get("events_after"))).isEmpty();
    }

    @Test
    void worldReadableRoomsCanBeReadWithoutJoining(TestHomeserver hs) {
        TestClient alice = hs.registerUser("alice");
        TestClient bob = hs.registerUser("bob");
        String room = alice.createRoom(NODES.objectNode().put("preset", "public_chat"));
        String before = alice.sendMessage(room, "before");
        alice.sendState(room, "m.room.history_visibility", "", visibility("world_readable"));
        alice.sendMessage(room, "readable");
        JsonNode page =
                bob.get(rooms(room) + "/messages?dir=b&limit=50").expect(200).json();
        assertThat(bodies(page.get("chunk"))).containsExactly("readable");
        assertThat(bob.get(rooms(room) + "/event/" + encode(before)).status()).isEqualTo(404);
        assertThat(bob.get(rooms(room) + "/state/m.room.history_visibility")
                        .expect(200)
                        .json())
                .isEqualTo(visibility("world_readable"));
    }

    @Test
    void invitedVisibilityShowsHistoryFromTheInviteOn(TestHomeserver hs) {
        TestClient alice = hs.registerUser("alice");
        TestClient bob = hs.registerUser("bob");
        String room = alice.createRoom(null);
        alice.sendState(room, "m.room.history_visibility", "", visibility("invited"));
        String before = alice.sendMessage(room, "before the invite");
        alice.invite(room, bob.userId()).expect(200);
        String whileInvited = alice.sendMessage(room, "while invited");
        bob.join(room).expect(200);

        assertThat(bob.get(rooms(room) + "/event/" + encode(before)).status()).isEqualTo(404);
        assertThat(bob.get(rooms(room) + "/event/" + encode(whileInvited)).status())
                .isEqualTo(200);
        assertThat(bodies(bob.get(rooms(room) + "/messages?dir=b&limit=50")
                        .expect(200)
                        .json()
                        .get("chunk")))
                .containsExactly("while invited");
    }

    @Test
    void invitedUsersCannotPageThroughTheRoomBeforeJoining(TestHomeserver hs) {
        TestClient alice = hs.registerUser("alice");
        TestClient bob = hs.registerUser("bob");
        String room = alice.createRoom(null);
        alice.invite(room, bob.userId()).expect(200);
        TestResponse response = bob.get(rooms(room) + "/messages");
        assertThat(response.status()).isEqualTo(403);
        assertThat(response.errcode()).isEqualTo("M_FORBIDDEN");
    }

    @Test
    void messagesAndContextReadTheFilterAsSyncDoes(TestHomeserver hs) {
        TestClient alice = hs.registerUser("alice");
        String room = alice.createRoom(null);
        String first = alice.sendMessage(room, "plain");
        alice.sendEvent(
                room,
                "m.room.message",
                NODES.objectNode().put("msgtype", "m.image").put("body", "pic").put("url", "mxc://test.local/abc"));

        JsonNode withUrl = alice.get(rooms(room) + "/messages?dir=b&filter=" + encode("{\"contains_url\":true}"))
                .expect(200)
                .json();
        assertThat(bodies(withUrl.get("chunk"))).containsExactly("pic");
        JsonNode otherRoom = alice.get(
                        rooms(room) + "/messages?dir=b&filter=" + encode("{\"rooms\":[\"!elsewhere:test.local\"]}"))
                .expect(200)
                .json();
        assertThat(otherRoom.get("chunk")).isEmpty();
        JsonNode excluded = alice.get(
                        rooms(room) + "/messages?dir=b&filter=" + encode("{\"not_rooms\":[\"" + room + "\"]}"))
                .expect(200)
                .json();
        assertThat(excluded.get("chunk")).isEmpty();
        JsonNode context = alice.get(rooms(room) + "/context/" + encode(first) + "?filter="
                        + encode("{\"types\":[\"m.room.message\"],\"contains_url\":true}"))
                .expect(200)
                .json();
        assertThat(bodies(context.get("events_after"))).containsExactly("pic");
        assertThat(context.get("events_before")).isEmpty();

        for (String filter : List.of(
                "{\"limit\":-1}",
                "{\"senders\":[\"alice\"]}",
                "{\"rooms\":[\"nope\"]}",
                "{\"contains_url\":\"yes\"}",
                "{\"lazy_load_members\":1}",
                "{\"unread_thread_notifications\":\"no\"}")) {
            TestResponse messages = alice.get(rooms(room) + "/messages?filter=" + encode(filter));
            assertThat(messages.status()).as(filter).isEqualTo(400);
            assertThat(messages.errcode()).as(filter).isEqualTo("M_INVALID_PARAM");
            TestResponse around = alice.get(rooms(room) + "/context/" + encode(first) + "?filter=" + encode(filter));
            assertThat(around.status()).as(filter).isEqualTo(400);
            assertThat(around.errcode()).as(filter).isEqualTo("M_INVALID_PARAM");
        }
        assertThat(alice.get(rooms(room) + "/context/" + encode(first) + "?limit=-1")
                        .errcode())
                .isEqualTo("M_INVALID_PARAM");
    }
}
