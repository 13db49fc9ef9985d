package dev.myelin.server.api;

import static dev.myelin.server.api.SyncApiTest.assertError;
import static dev.myelin.testing.TestClient.encode;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.myelin.testing.HomeserverExtension;
import dev.myelin.testing.OverrideConfig;
import dev.myelin.testing.TestClient;
import dev.myelin.testing.TestHomeserver;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** {@code POST /search} over real HTTP: ranking, order, filters, context, groups, batches and visibility. */
@ExtendWith(HomeserverExtension.class)
class SearchApiTest {
    private static final String SEARCH = "/_matrix/client/v3/search";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    /** A search body: {@code criteria} is the JSON of {@code room_events}. */
    static ObjectNode body(String criteria) {
        try {
            ObjectNode body = NODES.objectNode();
            body.putObject("search_categories").set("room_events", JSON.readTree(criteria));
            return body;
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException(e);
        }
    }

    static JsonNode search(TestClient client, String criteria) {
        return search(client, criteria, null);
    }

    static JsonNode search(TestClient client, String criteria, @Nullable String nextBatch) {
        String path = nextBatch == null ? SEARCH : SEARCH + "?next_batch=" + encode(nextBatch);
        return client.post(path, body(criteria)).expect(200).json().at("/search_categories/room_events");
    }

    static List<String> ids(JsonNode roomEvents) {
        List<String> out = new ArrayList<>();
        roomEvents.get("results").forEach(r -> out.add(r.at("/result/event_id").asText()));
        return out;
    }

    static List<String> bodies(JsonNode roomEvents) {
        List<String> out = new ArrayList<>();
        roomEvents
                .get("results")
                .forEach(r -> out.add(r.at("/result/content/body").asText()));
        return out;
    }

    private static String publicRoom(TestClient creator) {
        return creator.createRoom(NODES.objectNode().put("preset", "public_chat"));
    }

    @Test
    void ranksTheBestMatchFirstWithCountAndHighlights(TestHomeserver hs) {
        TestClient alice = hs.registerUser("alice");
        String room = publicRoom(alice);
        String once = alice.sendMessage(room, "The quick brown fox");
        String thrice = alice.sendMessage(room, "fox, fox and FOX again");
        alice.sendMessage(room, "a lazy dog");

        JsonNode found = search(alice, "{\"search_term\": \"fox\"}");
        assertThat(ids(found)).containsExactly(thrice, once);
        assertThat(found.get("count").asLong()).isEqualTo(2);
        assertThat(found.get("highlights")).containsExactlyInAnyOrder(NODES.textNode("FOX"), NODES.textNode("fox"));
        assertThat(found.at("/results/0/rank").asDouble())
                .isGreaterThan(found.at("/results/1/rank").asDouble());
        JsonNode event = found.at("/results/0/result");
        assertThat(event.get("room_id").asText()).isEqualTo(room);
        assertThat(event.get("sender").asText()).isEqualTo(alice.userId());
        assertThat(event.get("type").asText()).isEqualTo("m.room.message");
        assertThat(event.get("content"))
                .isEqualTo(JSON.createObjectNode().put("msgtype", "m.text").put("body", "fox, fox and FOX again"));
        assertThat(found.has("next_batch")).isFalse();
        assertThat(found.has("groups")).isFalse();
        assertThat(found.has("state")).isFalse();

        assertThat(bodies(search(alice, "{\"search_term\": \"quick FOX\"}")))
                .as("every word, in any case")
                .containsExactly("The quick brown fox");
        assertThat(bodies(search(alice, "{\"search_term\": \"qui\"}")))
                .as("words match as prefixes")
                .containsExactly("The quick brown fox");
        assertThat(ids(search(alice, "{\"search_term\": \"cat\"}"))).isEmpty();
    }

    @Test
    void recentOrderIsNewestFirstAndBatchesFollowEachOther(TestHomeserver hs) {
        TestClient alice = hs.registerUser("alice");
        String room = publicRoom(alice);
        for (int i = 1; i <= 5; i++) {
            alice.sendMessage(room, "note " + i);
        }
        String criteria = "{\"search_term\": \"note\", \"order_by\": \"recent\", \"filter\": {\"limit\": 2}}";
        JsonNode first = search(alice, criteria);
        assertThat(bodies(first)).containsExactly("note 5", "note 4");
        assertThat(first.get("count").asLong()).isEqualTo(5);
        JsonNode second = search(alice, criteria, first.get("next_batch").asText());
        assertThat(bodies(second)).containsExactly("note 3", "note 2");
        JsonNode third = search(alice, criteria, second.get("next_batch").asText());
        assertThat(bodies(third)).containsExactly("note 1");
        assertThat(third.has("next_batch")).isFalse();

        String ranked = "{\"search_term\": \"note\", \"filter\": {\"limit\": 3}}";
        JsonNode r1 = search(alice, ranked);
        JsonNode r2 = search(alice, ranked, r1.get("next_batch").asText());
        List<String> all = new ArrayList<>(bodies(r1));
        all.addAll(bodies(r2));
        assertThat(all).containsExactlyInAnyOrder("note 1", "note 2", "note 3", "note 4", "note 5");
        assertThat(r2.has("next_batch")).isFalse();
    }

    @Test
    void filtersByRoomSenderTypeAndKey(TestHomeserver hs) {
        TestClient alice = hs.registerUser("alice");
        TestClient bob = hs.registerUser("bob");
        String one = publicRoom(alice);
        String two = publicRoom(alice);
        bob.join(one).expect(200);
        bob.join(two).expect(200);
        alice.sendMessage(one, "apple from alice in one");
        bob.sendMessage(one, "apple from bob in one");
        alice.sendMessage(two, "apple from alice in two");
        alice.sendState(two, "m.room.name", "", NODES.objectNode().put("name", "Apple orchard"));
        alice.sendState(two, "m.room.topic", "", NODES.objectNode().put("topic", "apples only"));

        String order = "\"order_by\": \"recent\", \"search_term\": \"apple\"";
        assertThat(bodies(search(
                        bob,
                        "{" + order + ", \"keys\": [\"content.body\"], \"filter\": {\"rooms\": [\"" + one + "\"]}}")))
                .containsExactly("apple from bob in one", "apple from alice in one");
        assertThat(bodies(search(
                        bob,
                        "{" + order + ", \"keys\": [\"content.body\"], \"filter\": {\"not_rooms\": [\"" + one
                                + "\"]}}")))
                .containsExactly("apple from alice in two");
        assertThat(bodies(search(bob, "{" + order + ", \"filter\": {\"senders\": [\"" + bob.userId() + "\"]}}")))
                .containsExactly("apple from bob in one");
        assertThat(bodies(search(
                        bob,
                        "{" + order + ", \"keys\": [\"content.body\"], \"filter\": {\"not_senders\": [\"" + bob.userId()
                                + "\"]}}")))
                .containsExactly("apple from alice in two", "apple from alice in one");
        JsonNode names = search(bob, "{" + order + ", \"keys\": [\"content.name\"]}");
        assertThat(names.at("/results/0/result/content/name").asText()).isEqualTo("Apple orchard");
        assertThat(ids(names)).hasSize(1);
        JsonNode states = search(bob, "{" + order + ", \"filter\": {\"types\": [\"m.room.topic\", \"m.room.name\"]}}");
        assertThat(states.findValuesAsText("type")).containsExactly("m.room.topic", "m.room.name");
        assertThat(ids(search(bob, "{" + order + ", \"filter\": {\"not_types\": [\"m.room.*\"]}}")))
                .isEmpty();
        assertThat(search(bob, "{" + order + "}").get("count").asLong()).isEqualTo(5);
    }

    @Test
    void givesContextWithProfilesAndRoomState(TestHomeserver hs) {
        TestClient alice = hs.registerUser("alice");
        String room = publicRoom(alice);
        alice.put(
                        "/_matrix/client/v3/profile/" + encode(alice.userId()) + "/displayname",
                        NODES.objectNode().put("displayname", "Alice A."))
                .expect(200);
        String before2 = alice.sendMessage(room, "first");
        String before1 = alice.sendMessage(room, "second");
        String hit = alice.sendMessage(room, "the needle");
        String after1 = alice.sendMessage(room, "third");
        alice.sendMessage(room, "fourth");

        JsonNode found = search(
                alice,
                "{\"search_term\": \"needle\", \"include_state\": true, \"event_context\":"
                        + " {\"before_limit\": 2, \"after_limit\": 1, \"include_profile\": true}}");
        assertThat(ids(found)).containsExactly(hit);
        JsonNode context = found.at("/results/0/context");
        assertThat(context.get("events_before").findValuesAsText("event_id")).containsExactly(before1, before2);
        assertThat(context.get("events_after").findValuesAsText("event_id")).containsExactly(after1);
        assertThat(context.get("start").asText()).isNotEmpty();
        assertThat(context.get("end").asText()).isNotEmpty();
        assertThat(context.get("profile_info"))
                .isEqualTo(JSON.createObjectNode()
                        .set(alice.userId(), JSON.createObjectNode().put("displayname", "Alice A.")));
        alice.get("/_matrix/client/v3/rooms/" + encode(room) + "/messages?dir=f&limit=1&from="
                        + encode(context.get("end").asText()))
                .expect(200);
        JsonNode state = found.at("/state/" + room.replace("~", "~0").replace("/", "~1"));
        assertThat(state.findValuesAsText("type")).contains("m.room.create", "m.room.member", "m.room.join_rules");

        JsonNode plain = search(alice, "{\"search_term\": \"needle\", \"event_context\": {}}");
        assertThat(plain.at("/results/0/context/events_before"))
                .as("five by default")
                .hasSize(5);
        assertThat(plain.at("/results/0/context/profile_info")).isEmpty();
    }

    @Test
    void groupsByRoomAndSenderAndContinuesInsideAGroup(TestHomeserver hs) {
        TestClient alice = hs.registerUser("alice");
        TestClient bob = hs.registerUser("bob");
        String one = publicRoom(alice);
        String two = publicRoom(alice);
        bob.join(one).expect(200);
        String a1 = alice.sendMessage(one, "kiwi 1");
        String a2 = alice.sendMessage(two, "kiwi 2");
        String b3 = bob.sendMessage(one, "kiwi 3");
        String a4 = alice.sendMessage(one, "kiwi 4");

        String criteria = "{\"search_term\": \"kiwi\", \"order_by\": \"recent\", \"filter\": {\"limit\": 3},"
                + " \"groupings\": {\"group_by\": [{\"key\": \"room_id\"}, {\"key\": \"sender\"}]}}";
        JsonNode found = search(alice, criteria);
        assertThat(ids(found)).containsExactly(a4, b3, a2);
        JsonNode byRoom = found.at("/groups/room_id");
        assertThat(byRoom.get(one).get("results")).containsExactly(NODES.textNode(a4), NODES.textNode(b3));
        assertThat(byRoom.get(one).get("order").asInt()).isEqualTo(1);
        assertThat(byRoom.get(two).get("results")).containsExactly(NODES.textNode(a2));
        assertThat(byRoom.get(two).get("order").asInt()).isEqualTo(2);
        JsonNode bySender = found.at("/groups/sender");
        assertThat(bySender.get(alice.userId()).get("results")).containsExactly(NODES.textNode(a4), NODES.textNode(a2));
        assertThat(bySender.get(bob.userId()).get("results")).containsExactly(NODES.textNode(b3));

        JsonNode inRoomTwo =
                search(alice, criteria, byRoom.get(two).get("next_batch").asText());
        assertThat(ids(inRoomTwo)).as("room two has nothing older").isEmpty();
        JsonNode inRoomOne =
                search(alice, criteria, byRoom.get(one).get("next_batch").asText());
        assertThat(ids(inRoomOne)).containsExactly(a1);
        JsonNode fromBob = search(
                alice, criteria, bySender.get(bob.userId()).get("next_batch").asText());
        assertThat(ids(fromBob)).isEmpty();
        JsonNode rest = search(alice, criteria, found.get("next_batch").asText());
        assertThat(ids(rest)).containsExactly(a1);
    }

    @Test
    void findsOnlyWhatTheUserMaySee(TestHomeserver hs) {
        TestClient alice = hs.registerUser("alice");
        TestClient bob = hs.registerUser("bob");
        TestClient carol = hs.registerUser("carol");
        String room = publicRoom(alice);
        alice.sendState(
                room, "m.room.history_visibility", "", NODES.objectNode().put("history_visibility", "joined"));
        alice.sendMessage(room, "secret before bob");
        bob.join(room).expect(200);
        alice.sendMessage(room, "secret while bob is here");
        bob.leave(room).expect(200);
        alice.sendMessage(room, "secret after bob left");

        String criteria = "{\"search_term\": \"secret\", \"order_by\": \"recent\"}";
        assertThat(bodies(search(alice, criteria)))
                .containsExactly("secret after bob left", "secret while bob is here", "secret before bob");
        assertThat(bodies(search(bob, criteria)))
                .as("joined later, and left: only what was said while there")
                .containsExactly("secret while bob is here");
        JsonNode never = search(carol, criteria);
        assertThat(ids(never)).isEmpty();
        assertThat(never.get("count").asLong()).isZero();

        String redacted = alice.sendMessage(room, "secret to take back");
        alice.put(
                        "/_matrix/client/v3/rooms/" + encode(room) + "/redact/" + encode(redacted) + "/t1",
                        NODES.objectNode())
                .expect(200);
        assertThat(bodies(search(alice, criteria)).getFirst()).isEqualTo("secret after bob left");
        assertThat(search(alice, criteria).get("count").asLong()).isEqualTo(3);

        alice.post("/_matrix/client/v3/rooms/" + encode(room) + "/forget", NODES.objectNode())
                .expect(400);
        bob.post("/_matrix/client/v3/rooms/" + encode(room) + "/forget", NODES.objectNode())
                .expect(200);
        assertThat(ids(search(bob, criteria)))
                .as("a forgotten room is not searched")
                .isEmpty();
    }

    @Test
    void purgedHistoryIsNotFound(TestHomeserver hs) throws Exception {
        String admin = WhoisApiTest.registerAdmin(hs);
        TestClient alice = hs.registerUser("alice");
        String room = publicRoom(alice);
        alice.sendMessage(room, "plum old");
        hs.clock().advance(Duration.ofMinutes(5));
        long cut = hs.clock().now().toEpochMilli();
        alice.sendMessage(room, "plum new");
        String purge = hs.request(
                        "POST",
                        "/_synapse/admin/v1/purge_history/" + encode(room),
                        NODES.objectNode().put("purge_up_to_ts", cut),
                        admin)
                .expect(200)
                .json()
                .path("purge_id")
                .asText();
        AdminRoomDeletionApiTest.awaitStatus(hs, admin, "/_synapse/admin/v1/purge_history_status/" + purge);
        JsonNode found = search(alice, "{\"search_term\": \"plum\"}");
        assertThat(bodies(found)).containsExactly("plum new");
        assertThat(found.get("count").asLong()).isEqualTo(1);
    }

    @Test
    @OverrideConfig(key = "allow_guest_access", value = "true")
    void guestsMayNotSearch(TestHomeserver hs) {
        String token = hs.request("POST", "/_matrix/client/v3/register?kind=guest", NODES.objectNode(), (String) null)
                .expect(200)
                .json()
                .path("access_token")
                .asText();
        assertError(
                hs.request("POST", SEARCH, body("{\"search_term\": \"x\"}"), token), 403, "M_GUEST_ACCESS_FORBIDDEN");
    }

    @Test
    void userTextIsNeverQuerySyntax(TestHomeserver hs) {
        TestClient alice = hs.registerUser("alice");
        String room = publicRoom(alice);
        String hit = alice.sendMessage(room, "she said \"hello\" AND left");
        for (String term : List.of(
                "\\\"hello",
                "hello*",
                "-hello",
                "hello AND",
                "NEAR(hello",
                "hello:* & !x",
                "'; drop table events; --",
                "hello OR")) {
            JsonNode found = search(
                    alice, JSON.createObjectNode().put("search_term", term).toString());
            assertThat(found.get("count").asLong())
                    .as(term)
                    .isEqualTo(ids(found).size());
        }
        assertThat(ids(search(alice, "{\"search_term\": \"\\\"hello\"}"))).containsExactly(hit);
        assertThat(ids(search(alice, "{\"search_term\": \"-hello AND\"}"))).containsExactly(hit);
        JsonNode nothing = search(alice, "{\"search_term\": \"*** \\\"\\\"\"}");
        assertThat(ids(nothing)).isEmpty();
        assertThat(search(alice, "{\"search_term\": \"\"}").get("count").asLong())
                .isZero();
    }

    @Test
    void rejectsBadInput(TestHomeserver hs) {
        TestClient alice = hs.registerUser("alice");
        String room = publicRoom(alice);
        alice.sendMessage(room, "lemon");
        assertError(alice.post(SEARCH, NODES.objectNode()), 400, "M_BAD_JSON");
        assertError(alice.post(SEARCH, NODES.objectNode().put("search_categories", 1)), 400, "M_BAD_JSON");
        assertError(alice.post(SEARCH, body("{}")), 400, "M_BAD_JSON");
        assertError(alice.post(SEARCH, body("{\"search_term\": 3}")), 400, "M_BAD_JSON");
        assertError(
                alice.post(SEARCH, body("{\"search_term\": \"x\", \"order_by\": \"size\"}")), 400, "M_INVALID_PARAM");
        assertError(
                alice.post(SEARCH, body("{\"search_term\": \"x\", \"keys\": [\"content.url\"]}")),
                400,
                "M_INVALID_PARAM");
        assertError(
                alice.post(SEARCH, body("{\"search_term\": \"x\", \"keys\": \"content.body\"}")), 400, "M_BAD_JSON");
        assertError(
                alice.post(SEARCH, body("{\"search_term\": \"x\", \"filter\": {\"limit\": \"ten\"}}")),
                400,
                "M_BAD_JSON");
        assertError(alice.post(SEARCH, body("{\"search_term\": \"x\", \"filter\": []}")), 400, "M_BAD_JSON");
        assertError(
                alice.post(SEARCH, body("{\"search_term\": \"x\", \"event_context\": {\"before_limit\": -1}}")),
                400,
                "M_BAD_JSON");
        assertError(
                alice.post(SEARCH, body("{\"search_term\": \"x\", \"include_state\": \"yes\"}")), 400, "M_BAD_JSON");
        assertError(
                alice.post(
                        SEARCH, body("{\"search_term\": \"x\", \"groupings\": {\"group_by\": [{\"key\": \"type\"}]}}")),
                400,
                "M_INVALID_PARAM");
        assertError(
                alice.post(SEARCH, body("{\"search_term\": \"x\", \"groupings\": {\"group_by\": {}}}")),
                400,
                "M_BAD_JSON");
        assertError(
                alice.post(SEARCH + "?next_batch=%21%21", body("{\"search_term\": \"x\"}")), 400, "M_INVALID_PARAM");
        assertError(
                alice.post(SEARCH + "?next_batch=cmFuazp4", body("{\"search_term\": \"x\"}")), 400, "M_INVALID_PARAM");
        assertError(alice.post(SEARCH, "not json"), 400, "M_NOT_JSON");
        assertError(hs.anonymous().post(SEARCH, body("{\"search_term\": \"x\"}")), 401, "M_MISSING_TOKEN");

        alice.sendMessage(room, "lemon two");
        String recent = search(
                        alice, "{\"search_term\": \"lemon\", \"order_by\": \"recent\", \"filter\": {\"limit\": 1}}")
                .get("next_batch")
                .asText();
        assertError(
                alice.post(SEARCH + "?next_batch=" + encode(recent), body("{\"search_term\": \"lemon\"}")),
                400,
                "M_INVALID_PARAM");
        assertThat(alice.post(SEARCH, NODES.objectNode().set("search_categories", NODES.objectNode()))
                        .expect(200)
                        .json())
                .isEqualTo(JSON.createObjectNode().set("search_categories", JSON.createObjectNode()));
    }
}
