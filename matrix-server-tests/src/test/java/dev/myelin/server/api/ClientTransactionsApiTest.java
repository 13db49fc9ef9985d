package dev.myelin.server.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.myelin.storage.testing.TestDatabases.Kind;
import dev.myelin.testing.ClientEvent;
import dev.myelin.testing.TestClient;
import dev.myelin.testing.TestHomeserver;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Client transaction ids are kept in the database with what they produced, so a retry is answered
 * from there once the process no longer holds it (after half an hour here, after a restart in
 * {@link RestartDurabilityTest}): send, redact and sendToDevice.
 */
class ClientTransactionsApiTest {
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    /** Past what the process holds in memory, within what the database keeps. */
    private static final Duration PAST_MEMORY = Duration.ofMinutes(31);

    @ParameterizedTest
    @EnumSource(Kind.class)
    void aRetriedSendOrRedactionReturnsTheFirstEventFromTheDatabaseAndStoresNothingNew(Kind kind) {
        try (TestHomeserver hs = TestHomeserver.builder().database(kind).start()) {
            TestClient alice = hs.registerUser("alice");
            String room = alice.createRoom(NODES.objectNode());
            String send = "/_matrix/client/v3/rooms/" + TestClient.encode(room) + "/send/m.room.message/t1";
            ObjectNode content = NODES.objectNode().put("msgtype", "m.text").put("body", "once");

            String first =
                    alice.put(send, content).expect(200).json().get("event_id").asText();
            hs.clock().advance(PAST_MEMORY);
            assertThat(alice.put(send, content)
                            .expect(200)
                            .json()
                            .get("event_id")
                            .asText())
                    .isEqualTo(first);

            String redact = "/_matrix/client/v3/rooms/" + TestClient.encode(room) + "/redact/"
                    + TestClient.encode(first) + "/r1";
            String redaction = alice.put(redact, NODES.objectNode())
                    .expect(200)
                    .json()
                    .get("event_id")
                    .asText();
            hs.clock().advance(PAST_MEMORY);
            assertThat(alice.put(redact, NODES.objectNode())
                            .expect(200)
                            .json()
                            .get("event_id")
                            .asText())
                    .isEqualTo(redaction);

            var timeline = alice.messages(room);
            assertThat(timeline.stream().filter(e -> e.eventId().orElseThrow().equals(first)))
                    .hasSize(1);
            assertThat(timeline.stream().filter(e -> e.type().equals("m.room.message")))
                    .hasSize(1);
            assertThat(timeline.stream().filter(e -> e.type().equals("m.room.redaction")))
                    .hasSize(1);
            ClientEvent served = timeline.stream()
                    .filter(e -> e.eventId().orElseThrow().equals(redaction))
                    .findFirst()
                    .orElseThrow();
            assertThat(served.json().at("/unsigned/transaction_id").asText())
                    .as("the sending device still matches its local echo")
                    .isEqualTo("r1");

            hs.clock().advance(Duration.ofDays(1));
            String later =
                    alice.put(send, content).expect(200).json().get("event_id").asText();
            assertThat(later)
                    .as("a transaction is remembered for a day, then the id may be used again")
                    .isNotEqualTo(first);
        }
    }

    @ParameterizedTest
    @EnumSource(Kind.class)
    void aRetriedToDeviceTransactionIsNotDeliveredAgain(Kind kind) {
        try (TestHomeserver hs = TestHomeserver.builder().database(kind).start()) {
            TestClient alice = hs.registerUser("alice");
            TestClient bob = hs.registerUser("bob");
            ObjectNode body = NODES.objectNode();
            body.putObject("messages")
                    .putObject(bob.userId())
                    .set(bob.deviceId(), NODES.objectNode().put("n", 1));
            String path = "/_matrix/client/v3/sendToDevice/m.test/t1";

            alice.put(path, body).expect(200);
            hs.clock().advance(PAST_MEMORY);
            alice.put(path, body).expect(200);
            assertThat(bob.sync(null, Map.of()).at("/to_device/events")).hasSize(1);
        }
    }
}
