package dev.myelin.server.federation;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.myelin.http.client.OutboundResponse;
import dev.myelin.testing.TestClient;
import dev.myelin.testing.TestFederation;
import dev.myelin.testing.TestResponse;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Knocking on and joining restricted rooms of another server: this server as the knocking or
 * joining server and the other as the resident server, two in-process homeservers.
 */
class FederatedKnockTest {
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    private static final String V3 = "/_matrix/client/v3";

    private TestFederation federation;
    private TestClient alice;
    private TestClient bob;

    @BeforeEach
    void start() {
        federation = TestFederation.start("a.test", "b.test");
        alice = federation.server("a.test").registerUser("alice");
        bob = federation.server("b.test").registerUser("bob");
    }

    @AfterEach
    void stop() {
        federation.close();
    }

    private String room(String version, String rule, String alias) {
        ObjectNode body = NODES.objectNode().put("room_version", version).put("name", "Knock here");
        if (alias != null) {
            body.put("room_alias_name", alias);
        }
        ObjectNode content = body.putArray("initial_state")
                .addObject()
                .put("type", "m.room.join_rules")
                .put("state_key", "")
                .putObject("content")
                .put("join_rule", rule);
        return alice.createRoom(body);
    }

    private static TestResponse knock(TestClient client, String roomIdOrAlias) {
        return client.post(V3 + "/knock/" + TestClient.encode(roomIdOrAlias), NODES.objectNode());
    }

    private String membershipAtA(String room, String user) {
        TestResponse state =
                alice.get(V3 + "/rooms/" + TestClient.encode(room) + "/state/m.room.member/" + TestClient.encode(user));
        return state.status() == 200 ? state.json().path("membership").asText() : "";
    }

    private static JsonNode rooms(TestClient client) {
        return client.sync(null, Map.of("timeout", "0")).path("rooms");
    }

    private static boolean eventually(BooleanSupplier condition) {
        Instant deadline = Instant.now().plusSeconds(20);
        while (Instant.now().isBefore(deadline)) {
            if (condition.getAsBoolean()) {
                return true;
            }
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
        }
        return condition.getAsBoolean();
    }

    private static List<String> types(JsonNode events) {
        List<String> out = new ArrayList<>();
        events.forEach(e -> out.add(e.path("type").asText()));
        return out;
    }

    @Test
    void aUserKnocksOnARoomOfAnotherServerIsInvitedAndJoins() {
        String room = room("10", "knock", "knockable");

        JsonNode answer = knock(bob, "#knockable:a.test").expect(200).json();

        assertThat(answer.path("room_id").asText()).isEqualTo(room);
        assertThat(membershipAtA(room, bob.userId())).isEqualTo("knock");
        JsonNode knocked = rooms(bob).path("knock").path(room);
        JsonNode stripped = knocked.path("knock_state").path("events");
        assertThat(types(stripped)).contains("m.room.create", "m.room.join_rules", "m.room.name", "m.room.member");
        JsonNode own = stripped.get(stripped.size() - 1);
        assertThat(own.path("state_key").asText()).isEqualTo(bob.userId());
        assertThat(own.path("content").path("membership").asText()).isEqualTo("knock");

        alice.invite(room, bob.userId()).expect(200);

        assertThat(eventually(() -> rooms(bob).path("invite").has(room)))
                .as("the invite reached b.test")
                .isTrue();
        assertThat(rooms(bob).path("knock").has(room)).isFalse();
        bob.join(room).expect(200);
        assertThat(membershipAtA(room, bob.userId())).isEqualTo("join");
    }

    @Test
    void aKnockDeniedByAKickOnTheRoomsServerEndsOnTheKnockersServer() {
        String room = room("10", "knock", null);
        knock(bob, room).expect(200);
        assertThat(rooms(bob).path("knock").has(room)).isTrue();
        String since = bob.sync(null, Map.of("timeout", "0")).path("next_batch").asText();

        alice.post(
                        V3 + "/rooms/" + TestClient.encode(room) + "/kick",
                        NODES.objectNode().put("user_id", bob.userId()).put("reason", "not today"))
                .expect(200);

        assertThat(eventually(() -> !rooms(bob).path("knock").has(room)))
                .as("b.test learned that the knock was denied")
                .isTrue();
        JsonNode left = bob.sync(since, Map.of("timeout", "0"))
                .path("rooms")
                .path("leave")
                .path(room);
        assertThat(left.isMissingNode()).isFalse();
        assertThat(left.toString()).contains("not today");
    }

    @Test
    void anInviteWithdrawnOnTheRoomsServerEndsOnTheInviteesServer() {
        String room = room("10", "invite", null);
        alice.invite(room, bob.userId()).expect(200);
        assertThat(eventually(() -> rooms(bob).path("invite").has(room))).isTrue();

        alice.post(
                        V3 + "/rooms/" + TestClient.encode(room) + "/kick",
                        NODES.objectNode().put("user_id", bob.userId()))
                .expect(200);

        assertThat(eventually(() -> !rooms(bob).path("invite").has(room)))
                .as("b.test learned that the invite was withdrawn")
                .isTrue();
    }

    @Test
    void aRemoteKnockIsRescindedThroughTheResidentServer() {
        String room = room("7", "knock", null);
        knock(bob, room).expect(200);
        String since = bob.sync(null, Map.of("timeout", "0")).path("next_batch").asText();

        bob.leave(room).expect(200);

        assertThat(membershipAtA(room, bob.userId())).isEqualTo("leave");
        JsonNode after = bob.sync(since, Map.of("timeout", "0")).path("rooms");
        assertThat(after.path("leave").has(room)).isTrue();
        assertThat(rooms(bob).path("knock").has(room)).isFalse();
        // and a second knock is allowed
        knock(bob, room).expect(200);
        assertThat(membershipAtA(room, bob.userId())).isEqualTo("knock");
    }

    @Test
    void aRemoteKnockIsRefusedByARoomThatDoesNotAllowIt() {
        String open = room("10", "public", null);
        String old = room("6", "knock", null);

        TestResponse refused = knock(bob, open).expect(403);
        assertThat(refused.errcode()).isEqualTo("M_FORBIDDEN");
        assertThat(knock(bob, old).expect(403).errcode()).isEqualTo("M_FORBIDDEN");
        assertThat(rooms(bob).path("knock").size()).isZero();
        assertThat(knock(bob, "!nope:c.test").status()).isEqualTo(502);
    }

    @Test
    void aMemberOfAnAllowedRoomJoinsARestrictedRoomOfAnotherServer() {
        String space = alice.createRoom(NODES.objectNode().put("preset", "public_chat"));
        ObjectNode body = NODES.objectNode().put("room_version", "10");
        ObjectNode rules = body.putArray("initial_state")
                .addObject()
                .put("type", "m.room.join_rules")
                .put("state_key", "")
                .putObject("content")
                .put("join_rule", "restricted");
        rules.putArray("allow").addObject().put("type", "m.room_membership").put("room_id", space);
        String room = alice.createRoom(body);

        assertThat(bob.join(room).expect(403).errcode()).isEqualTo("M_FORBIDDEN");
        bob.join(space).expect(200);
        bob.join(room).expect(200);

        JsonNode join = alice.get(V3 + "/rooms/" + TestClient.encode(room) + "/state/m.room.member/"
                        + TestClient.encode(bob.userId()))
                .expect(200)
                .json();
        assertThat(join.path("membership").asText()).isEqualTo("join");
        assertThat(join.path("join_authorised_via_users_server").asText()).isEqualTo(alice.userId());
        JsonNode atB = bob.get(V3 + "/rooms/" + TestClient.encode(room) + "/state/m.room.member/"
                        + TestClient.encode(bob.userId()))
                .expect(200)
                .json();
        assertThat(atB.path("join_authorised_via_users_server").asText()).isEqualTo(alice.userId());
    }

    @Test
    void aRestrictedJoinWhoseAnswerLacksTheAuthorisersSignatureIsNotTaken() {
        String space = alice.createRoom(NODES.objectNode().put("preset", "public_chat"));
        ObjectNode body = NODES.objectNode().put("room_version", "10");
        ObjectNode rules = body.putArray("initial_state")
                .addObject()
                .put("type", "m.room.join_rules")
                .put("state_key", "")
                .putObject("content")
                .put("join_rule", "restricted");
        rules.putArray("allow").addObject().put("type", "m.room_membership").put("room_id", space);
        String room = alice.createRoom(body);
        bob.join(space).expect(200);
        // a.test answers send_join without the join it signed
        federation.link("b.test", "a.test").answerWith(request -> {
            if (!request.uri().getPath().startsWith("/_matrix/federation/v2/send_join/")
                    || request.uri().getPath().contains(TestClient.encode(space))) {
                return Optional.empty();
            }
            List<Map.Entry<String, String>> headers = new ArrayList<>();
            request.headers()
                    .getOrDefault("Authorization", List.of())
                    .forEach(h -> headers.add(Map.entry("Authorization", h)));
            JsonNode sent;
            try {
                sent = new ObjectMapper().readTree(request.body().orElseThrow().bytes());
            } catch (java.io.IOException e) {
                throw new AssertionError(e);
            }
            TestResponse real = federation
                    .server("a.test")
                    .request(request.method(), request.uri().getRawPath(), sent, headers);
            ObjectNode answer = (ObjectNode) real.json();
            answer.remove("event");
            return Optional.of(new OutboundResponse(
                    real.status(),
                    Map.of("content-type", List.of("application/json")),
                    answer.toString().getBytes(StandardCharsets.UTF_8)));
        });

        TestResponse refused = bob.join(room);

        assertThat(refused.status()).as(refused.body()).isEqualTo(502);
        assertThat(bob.get(V3 + "/joined_rooms")
                        .expect(200)
                        .json()
                        .path("joined_rooms")
                        .toString())
                .doesNotContain(room);
    }
}
