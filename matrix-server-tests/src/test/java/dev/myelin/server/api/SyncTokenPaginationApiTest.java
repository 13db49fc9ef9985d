package dev.myelin.server.api;

import static dev.myelin.server.api.SyncApiTest.assertError;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.myelin.testing.HomeserverExtension;
import dev.myelin.testing.TestClient;
import dev.myelin.testing.TestHomeserver;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The spec lets clients page the timeline and list members from the tokens {@code /sync} gives. */
@ExtendWith(HomeserverExtension.class)
class SyncTokenPaginationApiTest {
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    @Test
    void messagesPagesBothWaysFromANextBatchToken(TestHomeserver hs) {
        TestClient alice = hs.registerUser("alice");
        String room = alice.createRoom(NODES.objectNode().put("preset", "public_chat"));
        alice.sendMessage(room, "one");
        alice.sendMessage(room, "two");
        String token = alice.sync(null, Map.of()).get("next_batch").asText();
        alice.sendMessage(room, "three");
        alice.sendMessage(room, "four");

        JsonNode back = alice.get(messages(room) + "?dir=b&limit=2&from=" + TestClient.encode(token))
                .expect(200)
                .json();
        assertThat(bodies(back.get("chunk"))).containsExactly("two", "one");
        assertThat(back.get("start").asText()).isEqualTo(token);
        JsonNode older = alice.get(messages(room) + "?dir=b&limit=1&from="
                        + TestClient.encode(back.get("end").asText()))
                .expect(200)
                .json();
        assertThat(older.at("/chunk/0/type").asText())
                .as("the page continues where the first stopped")
                .isEqualTo("m.room.history_visibility");

        JsonNode forwards = alice.get(messages(room) + "?dir=f&from=" + TestClient.encode(token))
                .expect(200)
                .json();
        assertThat(bodies(forwards.get("chunk"))).containsExactly("three", "four");
        String end = forwards.get("end").asText();
        JsonNode live = alice.get(messages(room) + "?dir=f&from=" + TestClient.encode(end))
                .expect(200)
                .json();
        assertThat(live.get("chunk")).as("nothing new yet").isEmpty();
        assertThat(live.has("end")).isFalse();
        alice.sendMessage(room, "five");
        JsonNode newer = alice.get(messages(room) + "?dir=f&from=" + TestClient.encode(end))
                .expect(200)
                .json();
        assertThat(bodies(newer.get("chunk")))
                .as("a forwards page that reached the live end continues from there")
                .containsExactly("five");

        String later = alice.sync(token, Map.of()).get("next_batch").asText();
        JsonNode between = alice.get(
                        messages(room) + "?dir=b&from=" + TestClient.encode(later) + "&to=" + TestClient.encode(token))
                .expect(200)
                .json();
        assertThat(bodies(between.get("chunk")))
                .as("a sync token also bounds a page as 'to'")
                .containsExactly("five", "four", "three");
    }

    @Test
    void aSyncTokenFromBeforeTheRoomPagesNothingBackwardsAndEverythingForwards(TestHomeserver hs) {
        TestClient alice = hs.registerUser("alice");
        String before = alice.sync(null, Map.of()).get("next_batch").asText();
        String room = alice.createRoom(NODES.objectNode().put("preset", "public_chat"));
        alice.sendMessage(room, "hi");

        JsonNode back = alice.get(messages(room) + "?dir=b&from=" + TestClient.encode(before))
                .expect(200)
                .json();
        assertThat(back.get("chunk")).isEmpty();
        assertThat(back.has("end")).isFalse();
        JsonNode forwards = alice.get(messages(room) + "?dir=f&from=" + TestClient.encode(before))
                .expect(200)
                .json();
        assertThat(forwards.at("/chunk/0/type").asText()).isEqualTo("m.room.create");
        assertThat(bodies(forwards.get("chunk"))).containsExactly("hi");
    }

    @Test
    void membersAtANextBatchTokenAreThoseOfThatMoment(TestHomeserver hs) {
        TestClient alice = hs.registerUser("alice");
        TestClient bob = hs.registerUser("bob");
        String room = alice.createRoom(NODES.objectNode().put("preset", "public_chat"));
        String token = alice.sync(null, Map.of()).get("next_batch").asText();
        bob.join(room).expect(200);

        JsonNode then = alice.get(members(room) + "?at=" + TestClient.encode(token))
                .expect(200)
                .json();
        assertThat(stateKeys(then.get("chunk"))).containsExactly(alice.userId());
        String now = alice.sync(token, Map.of()).get("next_batch").asText();
        JsonNode later = alice.get(members(room) + "?at=" + TestClient.encode(now))
                .expect(200)
                .json();
        assertThat(stateKeys(later.get("chunk"))).containsExactlyInAnyOrder(alice.userId(), bob.userId());
    }

    @Test
    void malformedTokensAreInvalidParam(TestHomeserver hs) {
        TestClient alice = hs.registerUser("alice");
        String room = alice.createRoom(null);
        for (String bad : List.of("s", "s1_2", "s1_x_0_0_0_0", "s-1_0_0_0_0_0", "x1_2", "t1")) {
            String token = TestClient.encode(bad);
            assertError(alice.get(messages(room) + "?from=" + token), 400, "M_INVALID_PARAM");
            assertError(alice.get(messages(room) + "?dir=f&to=" + token), 400, "M_INVALID_PARAM");
            assertError(alice.get(members(room) + "?at=" + token), 400, "M_INVALID_PARAM");
        }
        // A blank from or to on /messages means "absent" (next test); a blank at is no token.
        assertError(alice.get(members(room) + "?at="), 400, "M_INVALID_PARAM");
        TestClient eve = hs.registerUser("eve");
        String token = eve.sync(null, Map.of()).get("next_batch").asText();
        assertError(eve.get(messages(room) + "?from=" + TestClient.encode(token)), 403, "M_FORBIDDEN");
        assertError(eve.get(members(room) + "?at=" + TestClient.encode(token)), 403, "M_FORBIDDEN");
    }

    @Test
    void aBlankFromOrToAndFromEndMeanAbsent(TestHomeserver hs) {
        // matrix-nio 0.20.1 asks for a room's last event with from= (its room upgrade); Synapse
        // reads a blank from or to as absent, and from=END as the end.
        TestClient alice = hs.registerUser("alice");
        String room = alice.createRoom(NODES.objectNode().put("preset", "public_chat"));
        alice.sendMessage(room, "one");
        alice.sendMessage(room, "two");

        JsonNode absent =
                alice.get(messages(room) + "?dir=b&limit=1").expect(200).json();
        for (String from : List.of("", "END")) {
            JsonNode page = alice.get(messages(room) + "?dir=b&limit=1&from=" + from)
                    .expect(200)
                    .json();
            assertThat(bodies(page.get("chunk"))).as("from=%s", from).containsExactly("two");
            assertThat(page.get("start").asText()).isEqualTo(absent.get("start").asText());
            JsonNode next = alice.get(messages(room) + "?dir=b&limit=1&from="
                            + TestClient.encode(page.get("end").asText()))
                    .expect(200)
                    .json();
            assertThat(bodies(next.get("chunk"))).containsExactly("one");
        }
        JsonNode forwards =
                alice.get(messages(room) + "?dir=f&from=&to=").expect(200).json();
        assertThat(forwards.at("/chunk/0/type").asText()).isEqualTo("m.room.create");
        assertThat(bodies(forwards.get("chunk"))).containsExactly("one", "two");
        JsonNode bounded = alice.get(messages(room) + "?dir=b&to=").expect(200).json();
        assertThat(bodies(bounded.get("chunk"))).containsExactly("two", "one");
        assertError(alice.get(messages(room) + "?dir=b&to=END"), 400, "M_INVALID_PARAM");
    }

    private static String messages(String room) {
        return "/_matrix/client/v3/rooms/" + TestClient.encode(room) + "/messages";
    }

    private static String members(String room) {
        return "/_matrix/client/v3/rooms/" + TestClient.encode(room) + "/members";
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

    private static List<String> stateKeys(JsonNode events) {
        List<String> out = new ArrayList<>();
        events.forEach(e -> out.add(e.get("state_key").asText()));
        return out;
    }
}
