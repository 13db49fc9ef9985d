package dev.myelin.server.federation;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.myelin.testing.TestClient;
import dev.myelin.testing.TestFederation;
import dev.myelin.testing.TestResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Joining a room of another server: make_join and send_join between two in-process homeservers. */
class FederatedJoinTest {
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

    @Test
    void aUserJoinsAPublicRoomOfAnotherServerAndBothServersSeeTheJoin() {
        String room = publicRoom("Federated");

        bob.join(room).expect(200);

        // b.test now has the room: bob's sync shows it joined, with its state
        JsonNode joined = bob.sync(null, Map.of("timeout", "0"))
                .path("rooms")
                .path("join")
                .path(room);
        assertThat(joined.isMissingNode()).as("bob's sync has the room").isFalse();
        List<String> stateTypes = types(joined.path("state").path("events"));
        stateTypes.addAll(types(joined.path("timeline").path("events")));
        assertThat(stateTypes).contains("m.room.create", "m.room.power_levels", "m.room.name", "m.room.member");
        assertThat(bob.get("/_matrix/client/v3/rooms/" + TestClient.encode(room) + "/state/m.room.name/")
                        .expect(200)
                        .json()
                        .path("name")
                        .asText())
                .isEqualTo("Federated");
        // a.test has bob's join in its room
        assertThat(alice.get("/_matrix/client/v3/rooms/" + TestClient.encode(room) + "/joined_members")
                        .expect(200)
                        .json()
                        .path("joined")
                        .has(bob.userId()))
                .isTrue();
        JsonNode members = bob.get("/_matrix/client/v3/rooms/" + TestClient.encode(room) + "/joined_members")
                .expect(200)
                .json()
                .path("joined");
        assertThat(members.has(alice.userId()) && members.has(bob.userId())).isTrue();
    }

    @Test
    void aResidentServerWithoutSendJoinV2IsJoinedThroughV1() {
        String room = publicRoom("Old server");
        // a.test as a server from before send_join v2: 404 M_UNRECOGNIZED for it
        federation
                .link("b.test", "a.test")
                .answerWith(request -> request.uri().getPath().startsWith("/_matrix/federation/v2/send_join/")
                        ? java.util.Optional.of(new dev.myelin.http.client.OutboundResponse(
                                404,
                                Map.of("content-type", List.of("application/json")),
                                "{\"errcode\":\"M_UNRECOGNIZED\",\"error\":\"Unrecognized request\"}"
                                        .getBytes(java.nio.charset.StandardCharsets.UTF_8)))
                        : java.util.Optional.empty());

        bob.join(room).expect(200);

        assertThat(federation.link("b.test", "a.test").delivered())
                .extracting(r -> r.uri().getPath())
                .anyMatch(path -> path.startsWith("/_matrix/federation/v1/send_join/"));
        assertThat(alice.get("/_matrix/client/v3/rooms/" + TestClient.encode(room) + "/joined_members")
                        .expect(200)
                        .json()
                        .path("joined")
                        .has(bob.userId()))
                .isTrue();
    }

    @Test
    void afterTheJoinMessagesGoBothWaysInOrder() {
        String room = publicRoom("Chat");
        bob.join(room).expect(200);

        for (int i = 0; i < 5; i++) {
            alice.sendMessage(room, "from alice " + i);
            bob.sendMessage(room, "from bob " + i);
        }

        List<String> atA = awaitBodies(alice, room, 10);
        List<String> atB = awaitBodies(bob, room, 10);
        assertThat(atA)
                .containsSubsequence("from alice 0", "from alice 1", "from alice 2", "from alice 3", "from alice 4");
        assertThat(atA).containsSubsequence("from bob 0", "from bob 1", "from bob 2", "from bob 3", "from bob 4");
        assertThat(atB).containsExactlyInAnyOrderElementsOf(atA);
        assertThat(atB)
                .containsSubsequence("from alice 0", "from alice 1", "from alice 2", "from alice 3", "from alice 4");
    }

    @Test
    void aRemoteUserLeavingIsSeenOnBothServers() {
        String room = publicRoom("Leaving");
        bob.join(room).expect(200);

        bob.leave(room).expect(200);

        java.time.Instant deadline = java.time.Instant.now().plusSeconds(20);
        boolean gone = false;
        while (!gone && java.time.Instant.now().isBefore(deadline)) {
            gone = !alice.get("/_matrix/client/v3/rooms/" + TestClient.encode(room) + "/joined_members")
                    .expect(200)
                    .json()
                    .path("joined")
                    .has(bob.userId());
            pause();
        }
        assertThat(gone).as("a.test saw bob's leave").isTrue();
    }

    @Test
    void theResidentServerForwardsANewMembersJoinToTheOtherServersInTheRoom() {
        try (TestFederation three = TestFederation.start("x.test", "y.test", "z.test")) {
            TestClient xavier = three.server("x.test").registerUser("xavier");
            TestClient yara = three.server("y.test").registerUser("yara");
            TestClient zoe = three.server("z.test").registerUser("zoe");
            String room =
                    xavier.createRoom(JsonNodeFactory.instance.objectNode().put("preset", "public_chat"));
            yara.join(room).expect(200);

            zoe.join(room).expect(200);

            java.time.Instant deadline = java.time.Instant.now().plusSeconds(20);
            boolean seen = false;
            while (!seen && java.time.Instant.now().isBefore(deadline)) {
                seen = yara.get("/_matrix/client/v3/rooms/" + TestClient.encode(room) + "/joined_members")
                        .expect(200)
                        .json()
                        .path("joined")
                        .has(zoe.userId());
                pause();
            }
            assertThat(seen).as("y.test learned of zoe's join from x.test").isTrue();
        }
    }

    /** The message bodies of the room's timeline, oldest first, once there are {@code count}. */
    private static List<String> awaitBodies(TestClient client, String room, int count) {
        java.time.Instant deadline = java.time.Instant.now().plusSeconds(20);
        List<String> bodies = new ArrayList<>();
        while (java.time.Instant.now().isBefore(deadline)) {
            bodies = new ArrayList<>();
            JsonNode chunk = client.get(
                            "/_matrix/client/v3/rooms/" + TestClient.encode(room) + "/messages?dir=b&limit=100")
                    .expect(200)
                    .json()
                    .path("chunk");
            for (JsonNode e : chunk) {
                if (e.path("type").asText().equals("m.room.message")) {
                    bodies.add(0, e.path("content").path("body").asText());
                }
            }
            if (bodies.size() >= count) {
                return bodies;
            }
            pause();
        }
        return bodies;
    }

    private static void pause() {
        try {
            Thread.sleep(20);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    @Test
    void anInviteOnlyRoomRefusesTheJoinAndNothingIsLeftBehind() {
        ObjectNode body = JsonNodeFactory.instance.objectNode().put("preset", "private_chat");
        String room = alice.createRoom(body);

        TestResponse refused = bob.join(room);

        assertThat(refused.status()).isEqualTo(403);
        assertThat(bob.get("/_matrix/client/v3/joined_rooms")
                        .expect(200)
                        .json()
                        .path("joined_rooms")
                        .size())
                .isZero();
    }

    @Test
    void anUnknownRoomOrServerIsNotFoundOrUnreachable() {
        assertThat(bob.join("!nope:a.test").status()).isEqualTo(404);
        assertThat(bob.join("!nope:c.test").status()).isEqualTo(502);
    }

    private String publicRoom(String name) {
        ObjectNode body = JsonNodeFactory.instance
                .objectNode()
                .put("preset", "public_chat")
                .put("name", name);
        return alice.createRoom(body);
    }

    private static List<String> types(JsonNode events) {
        List<String> out = new ArrayList<>();
        events.forEach(e -> out.add(e.path("type").asText()));
        return out;
    }
}
