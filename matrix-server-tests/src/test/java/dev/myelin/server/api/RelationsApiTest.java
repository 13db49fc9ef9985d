package dev.myelin.server.api;

import static dev.myelin.server.api.SyncApiTest.assertError;
import static dev.myelin.testing.TestClient.encode;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.myelin.testing.HomeserverExtension;
import dev.myelin.testing.TestClient;
import dev.myelin.testing.TestHomeserver;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(HomeserverExtension.class)
class RelationsApiTest {
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    private static final String V1 = "/_matrix/client/v1";

    private static String relations(String room, String event) {
        return V1 + "/rooms/" + encode(room) + "/relations/" + encode(event);
    }

    private static String threads(String room) {
        return V1 + "/rooms/" + encode(room) + "/threads";
    }

    private static ObjectNode relatesTo(String relType, String parent) {
        ObjectNode content = NODES.objectNode();
        content.putObject("m.relates_to").put("rel_type", relType).put("event_id", parent);
        return content;
    }

    private static String react(TestClient client, String room, String parent, String key) {
        ObjectNode content = relatesTo("m.annotation", parent);
        ((ObjectNode) content.get("m.relates_to")).put("key", key);
        return client.sendEvent(room, "m.reaction", content);
    }

    private static String threadReply(TestClient client, String room, String root, String body) {
        ObjectNode content =
                relatesTo("m.thread", root).put("msgtype", "m.text").put("body", body);
        return client.sendEvent(room, "m.room.message", content);
    }

    private static List<String> ids(JsonNode response) {
        List<String> out = new ArrayList<>();
        response.get("chunk").forEach(e -> out.add(e.get("event_id").asText()));
        return out;
    }

    @Test
    void listsChildrenNewestFirstWithFiltersAndPagination(TestHomeserver hs) {
        TestClient alice = hs.registerUser("alice");
        String room = alice.createRoom(null);
        String root = alice.sendMessage(room, "root");
        String r1 = react(alice, room, root, "a");
        String r2 = react(alice, room, root, "b");
        String reply = threadReply(alice, room, root, "in thread");
        String r3 = react(alice, room, root, "c");
        alice.sendMessage(room, "unrelated");

        JsonNode first =
                alice.get(relations(room, root) + "?limit=3").expect(200).json();
        assertThat(ids(first)).containsExactly(r3, reply, r2);
        assertThat(first.has("recursion_depth")).isFalse();
        String next = first.get("next_batch").asText();
        JsonNode second = alice.get(relations(room, root) + "?limit=3&from=" + encode(next))
                .expect(200)
                .json();
        assertThat(ids(second)).containsExactly(r1);
        assertThat(second.get("prev_batch").asText()).isEqualTo(next);
        assertThat(second.has("next_batch")).isFalse();

        assertThat(ids(alice.get(relations(room, root) + "?dir=f&limit=10")
                        .expect(200)
                        .json()))
                .containsExactly(r1, r2, reply, r3);
        assertThat(ids(alice.get(relations(room, root) + "/m.annotation")
                        .expect(200)
                        .json()))
                .containsExactly(r3, r2, r1);
        assertThat(ids(alice.get(relations(room, root) + "/m.thread/m.room.message")
                        .expect(200)
                        .json()))
                .containsExactly(reply);
        assertThat(ids(alice.get(relations(room, root) + "/m.thread/m.reaction")
                        .expect(200)
                        .json()))
                .isEmpty();
        JsonNode event = alice.get(relations(room, root) + "/m.thread")
                .expect(200)
                .json()
                .at("/chunk/0");
        assertThat(event.at("/content/body").asText()).isEqualTo("in thread");
        assertThat(event.get("sender").asText()).isEqualTo(alice.userId());
    }

    @Test
    void pagesFromASyncToken(TestHomeserver hs) {
        TestClient alice = hs.registerUser("alice");
        String room = alice.createRoom(null);
        String root = alice.sendMessage(room, "root");
        String r1 = react(alice, room, root, "a");
        String token = alice.sync(null, Map.of()).get("next_batch").asText();
        String r2 = react(alice, room, root, "b");

        assertThat(ids(alice.get(relations(room, root) + "?from=" + encode(token))
                        .expect(200)
                        .json()))
                .as("backwards from the sync token: what came before it")
                .containsExactly(r1);
        assertThat(ids(alice.get(relations(room, root) + "?dir=f&from=" + encode(token))
                        .expect(200)
                        .json()))
                .containsExactly(r2);
        assertError(alice.get(relations(room, root) + "?from=s1_x"), 400, "M_INVALID_PARAM");
    }

    @Test
    void recursesIntoRelationsOfRelationsAndForgetsRedactedOnes(TestHomeserver hs) {
        TestClient alice = hs.registerUser("alice");
        String room = alice.createRoom(null);
        String root = alice.sendMessage(room, "root");
        String reply = threadReply(alice, room, root, "reply");
        String edit = alice.sendEvent(
                room,
                "m.room.message",
                relatesTo("m.replace", reply).put("msgtype", "m.text").put("body", "* reply"));
        String reaction = react(alice, room, root, "x");

        assertThat(ids(alice.get(relations(room, root)).expect(200).json())).containsExactly(reaction, reply);
        JsonNode recursed =
                alice.get(relations(room, root) + "?recurse=true").expect(200).json();
        assertThat(ids(recursed)).containsExactly(reaction, edit, reply);
        assertThat(recursed.get("recursion_depth").asInt()).isEqualTo(3);
        assertThat(alice.get(relations(room, root) + "?recurse=false")
                        .expect(200)
                        .json()
                        .get("recursion_depth")
                        .asInt())
                .isEqualTo(1);

        alice.put(
                        "/_matrix/client/v3/rooms/" + encode(room) + "/redact/" + encode(reaction) + "/t1",
                        NODES.objectNode())
                .expect(200);
        assertThat(ids(alice.get(relations(room, root)).expect(200).json())).containsExactly(reply);
    }

    @Test
    void parentsTheUserCannotSeeAreNotFound(TestHomeserver hs) {
        TestClient alice = hs.registerUser("alice");
        TestClient bob = hs.registerUser("bob");
        String room = alice.createRoom(null);
        String root = alice.sendMessage(room, "secret");
        react(alice, room, root, "a");
        assertError(bob.get(relations(room, root)), 404, "M_NOT_FOUND");
        assertError(alice.get(relations(room, "$unknown")), 404, "M_NOT_FOUND");
        assertError(alice.get(relations("!nowhere:test.local", root)), 404, "M_NOT_FOUND");
    }

    @Test
    void rejectsBadRelationsParameters(TestHomeserver hs) {
        TestClient alice = hs.registerUser("alice");
        String room = alice.createRoom(null);
        String root = alice.sendMessage(room, "root");
        assertError(alice.get(relations(room, root) + "?dir=x"), 400, "M_INVALID_PARAM");
        assertError(alice.get(relations(room, root) + "?limit=0"), 400, "M_INVALID_PARAM");
        assertError(alice.get(relations(room, root) + "?limit=many"), 400, "M_INVALID_PARAM");
        assertError(alice.get(relations(room, root) + "?recurse=maybe"), 400, "M_INVALID_PARAM");
        assertError(alice.get(relations(room, root) + "?from=garbage"), 400, "M_INVALID_PARAM");
        assertError(alice.get(relations(room, "not-an-event")), 400, "M_INVALID_PARAM");
        assertError(hs.anonymous().get(relations(room, root)), 401, "M_MISSING_TOKEN");
    }

    @Test
    void listsThreadsByLatestActivityWithBundledSummaries(TestHomeserver hs) {
        TestClient alice = hs.registerUser("alice");
        TestClient bob = hs.registerUser("bob");
        ObjectNode body = NODES.objectNode().put("preset", "public_chat");
        String room = alice.createRoom(body);
        bob.join(room).expect(200);
        String older = alice.sendMessage(room, "older root");
        String newer = alice.sendMessage(room, "newer root");
        threadReply(alice, room, older, "o1");
        threadReply(alice, room, newer, "n1");
        String latest = threadReply(bob, room, older, "o2");
        alice.sendMessage(room, "not a thread");

        JsonNode all = alice.get(threads(room)).expect(200).json();
        assertThat(ids(all)).containsExactly(older, newer);
        JsonNode summary = all.at("/chunk/0/unsigned/m.relations/m.thread");
        assertThat(summary.get("count").asLong()).isEqualTo(2);
        assertThat(summary.get("current_user_participated").asBoolean()).isTrue();
        assertThat(summary.at("/latest_event/event_id").asText()).isEqualTo(latest);
        assertThat(summary.at("/latest_event/content/body").asText()).isEqualTo("o2");

        JsonNode page = alice.get(threads(room) + "?limit=1").expect(200).json();
        assertThat(ids(page)).containsExactly(older);
        JsonNode rest = alice.get(threads(room) + "?limit=1&from="
                        + encode(page.get("next_batch").asText()))
                .expect(200)
                .json();
        assertThat(ids(rest)).containsExactly(newer);
        assertThat(rest.has("next_batch")).isFalse();

        JsonNode bobs =
                bob.get(threads(room) + "?include=participated").expect(200).json();
        assertThat(ids(bobs)).containsExactly(older);
        assertThat(bob.get(threads(room))
                        .expect(200)
                        .json()
                        .at("/chunk/1/unsigned/m.relations/m.thread" + "/current_user_participated")
                        .asBoolean())
                .isFalse();

        JsonNode served = alice.get("/_matrix/client/v3/rooms/" + encode(room) + "/event/" + encode(newer))
                .expect(200)
                .json();
        assertThat(served.at("/unsigned/m.relations/m.thread/count").asLong())
                .as("every read path bundles the summary")
                .isEqualTo(1);
    }

    @Test
    void rejectsBadThreadsParameters(TestHomeserver hs) {
        TestClient alice = hs.registerUser("alice");
        TestClient bob = hs.registerUser("bob");
        String room = alice.createRoom(null);
        assertError(alice.get(threads(room) + "?include=mine"), 400, "M_INVALID_PARAM");
        assertError(alice.get(threads(room) + "?from=garbage"), 400, "M_INVALID_PARAM");
        assertError(alice.get(threads(room) + "?limit=0"), 400, "M_INVALID_PARAM");
        assertError(bob.get(threads(room)), 403, "M_FORBIDDEN");
        assertError(alice.get(threads("!nowhere:test.local")), 404, "M_NOT_FOUND");
        assertThat(alice.get(threads(room)).expect(200).json().get("chunk")).isEmpty();
    }
}
