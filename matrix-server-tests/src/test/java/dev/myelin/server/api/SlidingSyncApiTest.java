package dev.myelin.server.api;

import static dev.myelin.server.api.SyncApiTest.assertError;
import static dev.myelin.server.api.SyncApiTest.json;
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
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Simplified sliding sync (MSC4186): room lists, room data, connections and long-polling, bad input. */
@ExtendWith(HomeserverExtension.class)
class SlidingSyncApiTest {
    static final String PATH = "/_matrix/client/unstable/org.matrix.simplified_msc3575/sync";
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    static TestResponse slidingSync(TestClient client, String pos, String body) {
        return client.post(pos == null ? PATH : PATH + "?pos=" + TestClient.encode(pos), body);
    }

    static JsonNode sync(TestClient client, String pos, String body) {
        return slidingSync(client, pos, body).expect(200).json();
    }

    static List<String> roomIds(JsonNode response) {
        List<String> out = new ArrayList<>();
        response.path("rooms").fieldNames().forEachRemaining(out::add);
        return out;
    }

    @Test
    void versionsAdvertiseSimplifiedSlidingSync(TestHomeserver hs) {
        JsonNode versions =
                hs.anonymous().get("/_matrix/client/versions").expect(200).json();
        assertThat(versions.at("/unstable_features/org.matrix.simplified_msc3575")
                        .asBoolean())
                .isTrue();
    }

    @Test
    void listsAreSortedByRecentActivityAndCutByRanges(TestHomeserver hs) {
        TestClient alice = hs.registerUser("alice");
        String first = alice.createRoom(NODES.objectNode().put("name", "First"));
        String second = alice.createRoom(NODES.objectNode().put("name", "Second"));
        String third = alice.createRoom(NODES.objectNode().put("name", "Third"));
        alice.sendMessage(second, "two");
        alice.sendMessage(third, "three");
        alice.sendMessage(first, "one");

        JsonNode all = sync(alice, null, """
                {"lists":{"all":{"ranges":[[0,9]],"timeline_limit":0,"required_state":[]}}}""");
        assertThat(all.at("/lists/all")).isEqualTo(json("{\"count\":3}"));
        assertThat(all.at("/rooms/" + first + "/bump_stamp").asLong())
                .isGreaterThan(all.at("/rooms/" + third + "/bump_stamp").asLong());
        assertThat(all.at("/rooms/" + third + "/bump_stamp").asLong())
                .isGreaterThan(all.at("/rooms/" + second + "/bump_stamp").asLong());

        JsonNode top = sync(alice, null, """
                {"lists":{"top":{"ranges":[[0,1]],"timeline_limit":1,"required_state":[]}}}""");
        assertThat(top.at("/lists/top/count").asInt()).isEqualTo(3);
        assertThat(roomIds(top)).containsExactlyInAnyOrder(first, third);
        JsonNode room = top.at("/rooms/" + first);
        assertThat(room.get("initial").asBoolean()).isTrue();
        assertThat(room.get("name").asText()).isEqualTo("First");
        assertThat(room.get("membership").asText()).isEqualTo("join");
        assertThat(room.get("lists")).isEqualTo(json("[\"top\"]"));
        assertThat(room.get("joined_count").asInt()).isEqualTo(1);
        assertThat(room.get("invited_count").asInt()).isZero();
        assertThat(room.get("limited").asBoolean()).isTrue();
        assertThat(room.get("num_live").asInt()).isZero();
        assertThat(room.get("prev_batch").isTextual()).isTrue();
        assertThat(room.get("timeline")).hasSize(1);
        assertThat(room.at("/timeline/0/content/body").asText()).isEqualTo("one");
        assertThat(room.get("required_state")).isEmpty();
        assertThat(room.has("notification_count") && room.has("highlight_count"))
                .isTrue();

        // growing the window sends only the rooms the connection does not hold yet
        JsonNode grown = sync(alice, top.get("pos").asText(), """
                {"lists":{"top":{"ranges":[[0,2]],"timeline_limit":1,"required_state":[]}}}""");
        assertThat(roomIds(grown)).containsExactly(second);
        assertThat(grown.at("/rooms/" + second + "/initial").asBoolean()).isTrue();
    }

    @Test
    void filtersSelectDmsInvitesEncryptedRoomsSpacesAndTypes(TestHomeserver hs) {
        TestClient alice = hs.registerUser("alice");
        TestClient bob = hs.registerUser("bob");
        String plain = alice.createRoom(null);
        String dm = alice.createRoom(null);
        String encrypted = alice.createRoom((ObjectNode) json("""
                {"initial_state":[{"type":"m.room.encryption","state_key":"",
                 "content":{"algorithm":"m.megolm.v1.aes-sha2"}}]}"""));
        String space = alice.createRoom((ObjectNode) json("{\"creation_content\":{\"type\":\"m.space\"}}"));
        alice.sendState(space, "m.space.child", plain, (ObjectNode) json("{\"via\":[\"test.local\"]}"));
        alice.put(
                        "/_matrix/client/v3/user/" + TestClient.encode(alice.userId()) + "/account_data/m.direct",
                        json("{\"@bob:test.local\":[\"" + dm + "\"]}"))
                .expect(200);
        String invite = bob.createRoom(null);
        bob.invite(invite, alice.userId()).expect(200);

        assertThat(matching(alice, "{\"is_dm\":true}")).containsExactly(dm);
        assertThat(matching(alice, "{\"is_dm\":false}")).doesNotContain(dm).contains(plain);
        assertThat(matching(alice, "{\"is_encrypted\":true}")).containsExactly(encrypted);
        assertThat(matching(alice, "{\"is_invite\":true}")).containsExactly(invite);
        assertThat(matching(alice, "{\"is_invite\":false}")).doesNotContain(invite);
        assertThat(matching(alice, "{\"room_types\":[\"m.space\"]}")).containsExactly(space);
        assertThat(matching(alice, "{\"not_room_types\":[\"m.space\"]}"))
                .containsExactlyInAnyOrder(plain, dm, encrypted, invite);
        assertThat(matching(alice, "{\"room_types\":[null]}"))
                .doesNotContain(space)
                .contains(plain);
        assertThat(matching(alice, "{\"spaces\":[\"" + space + "\"]}")).containsExactly(plain);

        JsonNode invited = sync(alice, null, """
                {"lists":{"l":{"ranges":[[0,9]],"timeline_limit":5,"required_state":[],
                 "filters":{"is_invite":true}}}}""").at("/rooms/" + invite);
        assertThat(invited.get("membership").asText()).isEqualTo("invite");
        assertThat(invited.get("initial").asBoolean()).isTrue();
        assertThat(SyncApiTest.keys(invited.get("invite_state")))
                .contains("m.room.create|", "m.room.member|@alice:test.local");
        assertThat(invited.has("timeline")).isFalse();
    }

    private static List<String> matching(TestClient client, String filters) {
        return roomIds(sync(
                client,
                null,
                "{\"lists\":{\"l\":{\"ranges\":[[0,99]],\"timeline_limit\":0,\"required_state\":[],\"filters\":"
                        + filters + "}}}"));
    }

    @Test
    void requiredStateTakesWildcardsLazyMembersAndMe(TestHomeserver hs) {
        TestClient alice = hs.registerUser("alice");
        TestClient bob = hs.registerUser("bob");
        TestClient carol = hs.registerUser("carol");
        String room =
                alice.createRoom((ObjectNode) json("{\"preset\":\"public_chat\",\"name\":\"Chat\",\"topic\":\"t\"}"));
        bob.join(room).expect(200);
        carol.join(room).expect(200);
        bob.sendMessage(room, "from bob");

        JsonNode exact = roomWith(alice, room, "[[\"m.room.create\",\"\"],[\"m.room.name\",\"\"]]", 1);
        assertThat(SyncApiTest.keys(exact.get("required_state"))).containsExactly("m.room.create|", "m.room.name|");

        JsonNode all = roomWith(alice, room, "[[\"*\",\"*\"]]", 1);
        assertThat(SyncApiTest.keys(all.get("required_state")))
                .contains("m.room.topic|", "m.room.member|@bob:test.local", "m.room.member|@carol:test.local");

        JsonNode typeWildcard = roomWith(alice, room, "[[\"m.room.member\",\"*\"]]", 0);
        assertThat(SyncApiTest.keys(typeWildcard.get("required_state")))
                .containsExactlyInAnyOrder(
                        "m.room.member|@alice:test.local",
                        "m.room.member|@bob:test.local",
                        "m.room.member|@carol:test.local");

        JsonNode lazy = roomWith(alice, room, "[[\"m.room.member\",\"$LAZY\"],[\"m.room.name\",\"\"]]", 1);
        assertThat(SyncApiTest.keys(lazy.get("required_state")))
                .containsExactlyInAnyOrder("m.room.name|", "m.room.member|@bob:test.local");

        JsonNode me = roomWith(alice, room, "[[\"m.room.member\",\"$ME\"]]", 1);
        assertThat(SyncApiTest.keys(me.get("required_state"))).containsExactly("m.room.member|@alice:test.local");

        JsonNode excluded = sync(
                        alice,
                        null,
                        "{\"room_subscriptions\":{\"" + room + "\":{\"timeline_limit\":0,"
                                + "\"required_state\":{\"include\":[{}],\"exclude\":[{\"type\":\"m.room.member\"}]}}}}")
                .at("/rooms/" + room);
        assertThat(SyncApiTest.keys(excluded.get("required_state")))
                .contains("m.room.create|", "m.room.topic|")
                .noneMatch(k -> k.startsWith("m.room.member"));
    }

    private static JsonNode roomWith(TestClient client, String room, String requiredState, int timelineLimit) {
        return sync(
                        client,
                        null,
                        "{\"lists\":{\"l\":{\"ranges\":[[0,0]],\"timeline_limit\":" + timelineLimit
                                + ",\"required_state\":" + requiredState + "}}}")
                .at("/rooms/" + room);
    }

    @Test
    void anIncrementalRequestCarriesOnlyWhatChanged(TestHomeserver hs) {
        TestClient alice = hs.registerUser("alice");
        String room = alice.createRoom(null);
        String quiet = alice.createRoom(null);
        String body = """
                {"lists":{"l":{"ranges":[[0,9]],"timeline_limit":5,
                 "required_state":[["m.room.name",""],["m.room.member","$LAZY"]]}}}""";
        JsonNode first = sync(alice, null, body);
        assertThat(roomIds(first)).containsExactlyInAnyOrder(room, quiet);

        String message = alice.sendMessage(room, "new");
        alice.sendState(room, "m.room.name", "", NODES.objectNode().put("name", "Renamed"));
        JsonNode next = sync(alice, first.get("pos").asText(), body);
        assertThat(roomIds(next)).containsExactly(room);
        JsonNode entry = next.at("/rooms/" + room);
        assertThat(entry.has("initial")).isFalse();
        assertThat(entry.get("timeline")).hasSize(2);
        assertThat(entry.at("/timeline/0/event_id").asText()).isEqualTo(message);
        assertThat(entry.get("num_live").asInt()).isEqualTo(2);
        assertThat(entry.get("limited").asBoolean()).isFalse();
        assertThat(entry.get("name").asText()).isEqualTo("Renamed");
        // the name changed; alice's own member event was sent already
        assertThat(SyncApiTest.keys(entry.get("required_state"))).containsExactly("m.room.name|");

        // a retry with the same pos is answered again, the same way
        assertThat(sync(alice, first.get("pos").asText(), body).get("rooms")).isEqualTo(next.get("rooms"));

        JsonNode idle = sync(alice, next.get("pos").asText(), body);
        assertThat(idle.get("rooms")).isEmpty();
        assertThat(idle.get("pos").asText()).isNotEqualTo(next.get("pos").asText());
        // once the client moved on, the older position is gone
        assertError(slidingSync(alice, first.get("pos").asText(), body), 400, "M_UNKNOWN_POS");
    }

    @Test
    void aLongPollWakesWhenAMessageArrives(TestHomeserver hs) throws Exception {
        TestClient alice = hs.registerUser("alice");
        TestClient bob = hs.registerUser("bob");
        String room = alice.createRoom(NODES.objectNode().put("preset", "public_chat"));
        bob.join(room).expect(200);
        String body = "{\"conn_id\":\"main\",\"lists\":{\"l\":{\"ranges\":[[0,9]],\"timeline_limit\":3,"
                + "\"required_state\":[]}}}";
        String pos = sync(bob, null, body).get("pos").asText();

        CompletableFuture<TestResponse> poll = CompletableFuture.supplyAsync(
                () -> bob.post(PATH + "?timeout=60000&pos=" + TestClient.encode(pos), body),
                r -> Thread.ofVirtual().start(r));
        assertThat(hs.clock().awaitSleepers(1, Duration.ofSeconds(10))).isTrue();
        String message = alice.sendMessage(room, "wake up");
        JsonNode woken = poll.get(10, TimeUnit.SECONDS).expect(200).json();
        assertThat(woken.at("/rooms/" + room + "/timeline/0/event_id").asText()).isEqualTo(message);

        // nothing new: the poll ends with the timeout, on the clock
        CompletableFuture<TestResponse> idle = CompletableFuture.supplyAsync(
                () -> bob.post(
                        PATH + "?timeout=30000&pos="
                                + TestClient.encode(woken.get("pos").asText()),
                        body),
                r -> Thread.ofVirtual().start(r));
        assertThat(hs.clock().awaitSleepers(1, Duration.ofSeconds(10))).isTrue();
        hs.clock().advance(Duration.ofSeconds(30));
        assertThat(idle.get(10, TimeUnit.SECONDS).expect(200).json().get("rooms"))
                .isEmpty();
    }

    @Test
    void roomSubscriptionsAddRoomsTheUserMaySeeAndLastUntilUnsubscribed(TestHomeserver hs) {
        TestClient alice = hs.registerUser("alice");
        TestClient bob = hs.registerUser("bob");
        String old = alice.createRoom(null);
        String recent = alice.createRoom(null);
        String foreign = bob.createRoom(null);
        String list = "\"lists\":{\"l\":{\"ranges\":[[0,0]],\"timeline_limit\":1,\"required_state\":[]}}";
        JsonNode first = sync(
                alice,
                null,
                "{" + list + ",\"room_subscriptions\":{"
                        + "\"" + old + "\":{\"timeline_limit\":2,\"required_state\":[[\"m.room.create\",\"\"]]},"
                        + "\"" + foreign + "\":{\"timeline_limit\":2,\"required_state\":[]}}}");
        assertThat(roomIds(first)).containsExactlyInAnyOrder(recent, old);
        assertThat(first.at("/rooms/" + old).has("lists")).isFalse();
        assertThat(first.at("/rooms/" + old + "/timeline")).hasSize(2);
        assertThat(SyncApiTest.keys(first.at("/rooms/" + old + "/required_state")))
                .containsExactly("m.room.create|");

        alice.sendMessage(old, "still subscribed");
        JsonNode next = sync(alice, first.get("pos").asText(), "{" + list + "}");
        assertThat(next.at("/rooms/" + old + "/timeline/0/content/body").asText())
                .isEqualTo("still subscribed");

        alice.sendMessage(recent, "bump recent back up");
        JsonNode dropped =
                sync(alice, next.get("pos").asText(), "{" + list + ",\"unsubscribe_rooms\":[\"" + old + "\"]}");
        alice.sendMessage(old, "not followed");
        alice.sendMessage(recent, "recent stays first");
        JsonNode after = sync(alice, dropped.get("pos").asText(), "{" + list + "}");
        assertThat(roomIds(after)).containsExactly(recent);
    }

    @Test
    void anUnknownPosIsMUnknownPos(TestHomeserver hs) {
        TestClient alice = hs.registerUser("alice");
        assertError(slidingSync(alice, "12345_1", "{}"), 400, "M_UNKNOWN_POS");
        assertError(slidingSync(alice, "garbage", "{}"), 400, "M_UNKNOWN_POS");
        String pos = sync(alice, null, "{\"conn_id\":\"a\"}").get("pos").asText();
        assertError(slidingSync(alice, pos, "{\"conn_id\":\"b\"}"), 400, "M_UNKNOWN_POS");
        // a new connection under the same conn_id replaces the old one
        sync(alice, null, "{\"conn_id\":\"a\"}");
        assertError(slidingSync(alice, pos, "{\"conn_id\":\"a\"}"), 400, "M_UNKNOWN_POS");
    }

    @Test
    void badInputIsAMatrixError(TestHomeserver hs) {
        TestClient alice = hs.registerUser("alice");
        assertError(alice.post(PATH, "not json"), 400, "M_NOT_JSON");
        assertError(slidingSync(alice, null, "{\"lists\":[]}"), 400, "M_BAD_JSON");
        assertError(slidingSync(alice, null, "{\"lists\":{\"l\":5}}"), 400, "M_BAD_JSON");
        assertError(
                slidingSync(alice, null, "{\"lists\":{\"l\":{\"ranges\":\"0-9\",\"timeline_limit\":1}}}"),
                400,
                "M_BAD_JSON");
        assertError(
                slidingSync(alice, null, "{\"lists\":{\"l\":{\"ranges\":[[0]],\"timeline_limit\":1}}}"),
                400,
                "M_BAD_JSON");
        assertError(
                slidingSync(alice, null, "{\"lists\":{\"l\":{\"ranges\":[[5,2]],\"timeline_limit\":1}}}"),
                400,
                "M_INVALID_PARAM");
        assertError(
                slidingSync(alice, null, "{\"lists\":{\"l\":{\"ranges\":[[-1,2]],\"timeline_limit\":1}}}"),
                400,
                "M_INVALID_PARAM");
        assertError(
                slidingSync(alice, null, "{\"lists\":{\"l\":{\"ranges\":[[0,2]],\"timeline_limit\":\"1\"}}}"),
                400,
                "M_BAD_JSON");
        assertError(
                slidingSync(alice, null, "{\"lists\":{\"l\":{\"timeline_limit\":100000}}}"), 400, "M_INVALID_PARAM");
        assertError(
                slidingSync(
                        alice, null, "{\"lists\":{\"l\":{\"timeline_limit\":1,\"required_state\":[\"m.room.name\"]}}}"),
                400,
                "M_BAD_JSON");
        assertError(
                slidingSync(alice, null, "{\"lists\":{\"l\":{\"timeline_limit\":1,\"filters\":{\"is_dm\":\"yes\"}}}}"),
                400,
                "M_BAD_JSON");
        assertError(
                slidingSync(alice, null, "{\"room_subscriptions\":{\"not-a-room\":{\"timeline_limit\":1}}}"),
                400,
                "M_INVALID_PARAM");
        assertError(
                slidingSync(alice, null, "{\"extensions\":{\"to_device\":{\"enabled\":true,\"since\":\"x\"}}}"),
                400,
                "M_INVALID_PARAM");
        assertError(alice.post(PATH + "?timeout=-5", "{}"), 400, "M_INVALID_PARAM");
        assertError(alice.post(PATH + "?timeout=soon", "{}"), 400, "M_INVALID_PARAM");
        assertError(hs.anonymous().post(PATH, "{}"), 401, "M_MISSING_TOKEN");
    }
}
