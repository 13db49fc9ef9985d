package dev.myelin.server.federation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.myelin.core.id.EventId;
import dev.myelin.storage.state.StateKey;
import dev.myelin.testing.ClientEvent;
import dev.myelin.testing.TestClient;
import dev.myelin.testing.TestFederation;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The story the interop suite tells with two server processes (interop/test/20-federation), in
 * one JVM on the federation's fake clock: alice on a.test invites bob of b.test, who joins; they
 * talk both ways; with the link cut each of them, both admins, sets a topic; once it heals both
 * servers must settle on the same one.
 */
class FederatedRoomStoryTest {
    private static final Duration WITHIN = Duration.ofMinutes(2);
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private TestFederation federation;
    private TestClient alice;
    private TestClient bob;
    private String room;

    @BeforeEach
    void start() {
        federation = TestFederation.start("a.test", "b.test");
        alice = federation.server("a.test").registerUser("alice");
        bob = federation.server("b.test").registerUser("bob");
        ObjectNode body = NODES.objectNode().put("preset", "private_chat").put("name", "Story");
        body.putArray("initial_state")
                .addObject()
                .put("type", "m.room.history_visibility")
                .put("state_key", "")
                .putObject("content")
                .put("history_visibility", "shared");
        room = alice.createRoom(body);
    }

    @AfterEach
    void stop() {
        federation.close();
    }

    @Test
    void bobInvitedFromAnotherServerJoinsAndTheyTalkBothWays() {
        alice.invite(room, bob.userId()).expect(200);
        assertThat(bob.awaitSync(s -> s.json().path("rooms").path("invite").has(room), WITHIN)
                        .json()
                        .path("rooms")
                        .path("invite")
                        .has(room))
                .isTrue();
        bob.join(room).expect(200);
        federation.awaitState(
                room,
                "m.room.member",
                bob.userId(),
                c -> c.path("membership").asText().equals("join"),
                WITHIN);

        List<String> sent = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            String fromAlice = "alice " + i;
            String fromBob = "bob " + i;
            alice.sendMessage(room, fromAlice);
            bob.awaitEvent(room, e -> e.body().orElse("").equals(fromAlice), WITHIN);
            bob.sendMessage(room, fromBob);
            alice.awaitEvent(room, e -> e.body().orElse("").equals(fromBob), WITHIN);
            sent.add(fromAlice);
            sent.add(fromBob);
        }

        assertThat(bodies(alice)).isEqualTo(sent);
        assertThat(bodies(bob)).isEqualTo(sent);
        Map<StateKey, EventId> agreed = federation.awaitConverged(room, WITHIN);
        assertThat(agreed).containsKeys(StateKey.member(alice.userId()), StateKey.member(bob.userId()));
    }

    @Test
    void convergenceThatDoesNotComeFailsNamingTheServersAndTheirEvents() {
        // b.test is not in the room: the servers cannot agree, and the failure says so
        assertThatThrownBy(() -> federation.awaitConverged(room, Duration.ofSeconds(3)))
                .isInstanceOf(AssertionError.class)
                .hasMessageContaining("do not agree on the current state of " + room)
                .hasMessageContaining("m.room.create ''")
                .hasMessageContaining("b.test: (not in the room)");
        assertThatThrownBy(() -> federation.awaitState(room, "m.room.name", "", c -> true, Duration.ofSeconds(3)))
                .isInstanceOf(AssertionError.class)
                .hasMessageContaining("a.test: $")
                .hasMessageContaining("\"name\":\"Story\"");
    }

    @Test
    void topicsSetOnBothSidesOfACutLinkConvergeOnceItHeals() {
        alice.invite(room, bob.userId()).expect(200);
        bob.join(room).expect(200);
        JsonNode levels = alice.get(
                        "/_matrix/client/v3/rooms/" + TestClient.encode(room) + "/state/m.room.power_levels/")
                .expect(200)
                .json();
        ObjectNode raised = levels.deepCopy();
        raised.with("users").put(bob.userId(), 100);
        alice.sendState(room, "m.room.power_levels", "", raised);
        federation.awaitState(
                room,
                "m.room.power_levels",
                "",
                c -> c.path("users").path(bob.userId()).asInt() == 100,
                WITHIN);

        federation.link("a.test", "b.test").fail();
        federation.link("b.test", "a.test").fail();
        alice.sendState(room, "m.room.topic", "", NODES.objectNode().put("topic", "from a.test"));
        bob.sendState(room, "m.room.topic", "", NODES.objectNode().put("topic", "from b.test"));
        federation.clock().advance(Duration.ofSeconds(5));
        federation.link("a.test", "b.test").heal();
        federation.link("b.test", "a.test").heal();
        // each side failed to reach the other while the link was cut: both wait out their first
        // retry interval (10 minutes), unless the other side reaches them first
        federation.clock().advance(Duration.ofMinutes(11));
        // each server already holds the other's topic, received on a fork: both resolve the same
        federation.awaitConverged(room, WITHIN);
        alice.sendMessage(room, "healed, from a.test");
        bob.sendMessage(room, "healed, from b.test");
        alice.awaitEvent(room, e -> e.body().orElse("").equals("healed, from b.test"), WITHIN);
        bob.awaitEvent(room, e -> e.body().orElse("").equals("healed, from a.test"), WITHIN);
        // events citing both branches
        alice.sendMessage(room, "merged, from a.test");
        bob.sendMessage(room, "merged, from b.test");

        JsonNode topic = federation.awaitState(room, "m.room.topic", "", c -> c.has("topic"), WITHIN);
        assertThat(topic.path("topic").asText()).isIn("from a.test", "from b.test");
        federation.awaitConverged(room, WITHIN);
    }

    /** The message bodies of the room as {@code client}'s server has it, oldest first. */
    private List<String> bodies(TestClient client) {
        List<String> out = new ArrayList<>();
        for (ClientEvent event : client.messages(room)) {
            if (event.type().equals("m.room.message")) {
                out.add(event.body().orElse(""));
            }
        }
        return out;
    }
}
