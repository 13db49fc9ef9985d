package dev.myelin.server.api;

import static dev.myelin.server.api.SyncApiTest.json;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.myelin.testing.HomeserverExtension;
import dev.myelin.testing.TestClient;
import dev.myelin.testing.TestHomeserver;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The {@code unsigned} keys every path that serves events adds: age, transaction id, previous state, redaction. */
@ExtendWith(HomeserverExtension.class)
class ServedEventsApiTest {
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    @Test
    void theSendingDeviceAloneSeesItsTransactionIdAndEveryoneSeesTheAgeOnTheClock(TestHomeserver hs) {
        TestClient alice = hs.registerUser("alice");
        TestClient aliceElsewhere = hs.login("alice", "password");
        TestClient bob = hs.registerUser("bob");
        String room = alice.createRoom(NODES.objectNode().put("preset", "public_chat"));
        bob.join(room).expect(200);
        String sent = alice.put(
                        "/_matrix/client/v3/rooms/" + TestClient.encode(room) + "/send/m.room.message/my-txn",
                        NODES.objectNode().put("msgtype", "m.text").put("body", "hi"))
                .expect(200)
                .json()
                .get("event_id")
                .asText();
        hs.clock().advance(Duration.ofSeconds(5));

        JsonNode own = lastTimelineEvent(alice.sync(null, Map.of()), room);
        assertThat(own.get("event_id").asText()).isEqualTo(sent);
        assertThat(own.get("unsigned")).isEqualTo(json("{\"age\":5000,\"transaction_id\":\"my-txn\"}"));
        assertThat(lastTimelineEvent(aliceElsewhere.sync(null, Map.of()), room).get("unsigned"))
                .as("another device of the sender")
                .isEqualTo(json("{\"age\":5000}"));
        assertThat(lastTimelineEvent(bob.sync(null, Map.of()), room).get("unsigned"))
                .isEqualTo(json("{\"age\":5000}"));

        hs.clock().advance(Duration.ofSeconds(1));
        JsonNode byId = alice.get(rooms(room) + "/event/" + TestClient.encode(sent))
                .expect(200)
                .json();
        assertThat(byId.get("unsigned")).isEqualTo(json("{\"age\":6000,\"transaction_id\":\"my-txn\"}"));
        JsonNode messages =
                alice.get(rooms(room) + "/messages?dir=b&limit=1").expect(200).json();
        assertThat(messages.at("/chunk/0/unsigned")).isEqualTo(json("{\"age\":6000,\"transaction_id\":\"my-txn\"}"));
        JsonNode context = bob.get(rooms(room) + "/context/" + TestClient.encode(sent))
                .expect(200)
                .json();
        assertThat(context.at("/event/unsigned")).isEqualTo(json("{\"age\":6000}"));
    }

    @Test
    void stateEventsCarryTheEventTheyReplaced(TestHomeserver hs) {
        TestClient alice = hs.registerUser("alice");
        String room = alice.createRoom(null);
        String first =
                alice.sendState(room, "m.room.topic", "", NODES.objectNode().put("topic", "one"));
        String since = alice.sync(null, Map.of()).get("next_batch").asText();
        String second =
                alice.sendState(room, "m.room.topic", "", NODES.objectNode().put("topic", "two"));

        JsonNode current = alice.get(rooms(room) + "/state/m.room.topic/?format=event")
                .expect(200)
                .json();
        assertThat(current.get("event_id").asText()).isEqualTo(second);
        assertThat(current.get("unsigned"))
                .isEqualTo(json("{\"age\":0,\"replaces_state\":\"" + first
                        + "\",\"prev_content\":{\"topic\":\"one\"},\"prev_sender\":\"@alice:test.local\"}"));
        JsonNode inSync = lastTimelineEvent(alice.sync(since, Map.of()), room);
        assertThat(inSync.get("event_id").asText()).isEqualTo(second);
        assertThat(inSync.at("/unsigned/replaces_state").asText()).isEqualTo(first);
        assertThat(inSync.at("/unsigned/prev_content")).isEqualTo(json("{\"topic\":\"one\"}"));

        JsonNode firstServed = alice.get(rooms(room) + "/event/" + TestClient.encode(first))
                .expect(200)
                .json();
        assertThat(firstServed.get("unsigned"))
                .as("the first topic replaced nothing")
                .isEqualTo(json("{\"age\":0}"));
    }

    @Test
    void redactedEventsCarryTheirRedactionInSyncAsElsewhere(TestHomeserver hs) {
        TestClient alice = hs.registerUser("alice");
        String room = alice.createRoom(null);
        String message = alice.sendMessage(room, "oops");
        String redaction = alice.put(
                        rooms(room) + "/redact/" + TestClient.encode(message) + "/r1",
                        NODES.objectNode().put("reason", "typo"))
                .expect(200)
                .json()
                .get("event_id")
                .asText();

        JsonNode timeline =
                alice.sync(null, Map.of()).at("/rooms/join").get(room).at("/timeline/events");
        JsonNode redacted = null;
        for (JsonNode event : timeline) {
            if (event.get("event_id").asText().equals(message)) {
                redacted = event;
            }
        }
        assertThat(redacted).isNotNull();
        assertThat(redacted.get("content")).isEqualTo(json("{}"));
        assertThat(redacted.at("/unsigned/redacted_because/event_id").asText()).isEqualTo(redaction);
        assertThat(redacted.at("/unsigned/redacted_by").asText()).isEqualTo(redaction);
        assertThat(redacted.at("/unsigned/redacted_because/content/reason").asText())
                .isEqualTo("typo");
        JsonNode byId = alice.get(rooms(room) + "/event/" + TestClient.encode(message))
                .expect(200)
                .json();
        assertThat(byId.at("/unsigned/redacted_because")).isEqualTo(redacted.at("/unsigned/redacted_because"));
        assertThat(byId.at("/unsigned/redacted_by").asText()).isEqualTo(redaction);
        assertThat(timeline.get(timeline.size() - 1)
                        .at("/unsigned/transaction_id")
                        .asText())
                .as("the redaction was sent under a transaction id too")
                .isEqualTo("r1");
    }

    private static JsonNode lastTimelineEvent(JsonNode sync, String room) {
        JsonNode events = sync.at("/rooms/join").get(room).at("/timeline/events");
        return events.get(events.size() - 1);
    }

    private static String rooms(String room) {
        return "/_matrix/client/v3/rooms/" + TestClient.encode(room);
    }
}
