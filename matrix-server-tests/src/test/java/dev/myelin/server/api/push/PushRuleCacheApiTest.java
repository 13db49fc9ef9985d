package dev.myelin.server.api.push;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.myelin.testing.HomeserverExtension;
import dev.myelin.testing.TestClient;
import dev.myelin.testing.TestHomeserver;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A user's push rules are kept compiled between events; a rule change made by another request is
 * what the very next evaluation uses, also while other requests evaluate the rules concurrently.
 */
@ExtendWith(HomeserverExtension.class)
class PushRuleCacheApiTest {
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    private static final String MESSAGE_RULE = "/_matrix/client/v3/pushrules/global/underride/.m.rule.message";

    private static int unread(TestClient client, String room) {
        JsonNode counts =
                client.sync(null, Map.of()).at("/rooms/join").get(room).get("unread_notifications");
        return counts.get("notification_count").asInt();
    }

    private static void setMessageRule(TestClient client, boolean enabled) {
        client.put(MESSAGE_RULE + "/enabled", NODES.objectNode().put("enabled", enabled))
                .expect(200);
    }

    @Test
    void aRuleChangeIsUsedByTheNextEvaluation(TestHomeserver hs) {
        TestClient alice = hs.registerUser("alice");
        TestClient bob = hs.registerUser("bob");
        String room = alice.createRoom(NODES.objectNode().put("preset", "public_chat"));
        bob.join(room).expect(200);
        // a third member: in a room of two, .m.rule.room_one_to_one matches before .m.rule.message
        hs.registerUser("carol").join(room).expect(200);
        alice.sendMessage(room, "hello");
        assertThat(unread(bob, room)).isEqualTo(1);

        setMessageRule(bob, false);
        assertThat(unread(bob, room)).as("the message rule is off").isZero();
        assertThat(unread(alice, room)).isZero();

        setMessageRule(bob, true);
        alice.sendMessage(room, "again");
        assertThat(unread(bob, room)).as("on again").isEqualTo(2);

        bob.put(MESSAGE_RULE + "/actions", NODES.objectNode().set("actions", NODES.arrayNode()))
                .expect(200);
        assertThat(unread(bob, room)).as("no actions: nothing notifies").isZero();
    }

    @Test
    void ruleChangesRacingWithEvaluationsAreSeenOnceTheyReturn(TestHomeserver hs) throws Exception {
        TestClient alice = hs.registerUser("alice");
        TestClient bob = hs.registerUser("bob");
        String room = alice.createRoom(NODES.objectNode().put("preset", "public_chat"));
        bob.join(room).expect(200);
        // a third member: in a room of two, .m.rule.room_one_to_one matches before .m.rule.message
        hs.registerUser("carol").join(room).expect(200);
        alice.sendMessage(room, "hello");
        AtomicBoolean stop = new AtomicBoolean();
        try (var pool = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<?>> readers = new ArrayList<>();
            for (int i = 0; i < 4; i++) {
                readers.add(pool.submit(() -> {
                    while (!stop.get()) {
                        unread(bob, room);
                    }
                    return null;
                }));
            }
            try {
                for (int round = 0; round < 6; round++) {
                    boolean enabled = round % 2 == 1;
                    setMessageRule(bob, enabled);
                    assertThat(unread(bob, room)).as("round %d", round).isEqualTo(enabled ? 1 : 0);
                }
            } finally {
                stop.set(true);
            }
            for (Future<?> reader : readers) {
                reader.get();
            }
        }
    }
}
