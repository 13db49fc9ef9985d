package dev.myelin.server.federation;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.myelin.http.client.OutboundResponse;
import dev.myelin.testing.ClientEvent;
import dev.myelin.testing.TestClient;
import dev.myelin.testing.TestFederation;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A room's history from before a server joined it: {@code /messages} past the join fetches older
 * events from the resident server ({@code /backfill}), and invites in {@code createRoom} reach
 * users of other servers.
 */
class FederatedHistoryTest {
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
    void aJoinedUserPaginatesBackThroughTheHistoryFromBeforeTheJoin() {
        String room = publicRoom();
        for (int i = 0; i < 30; i++) {
            alice.sendMessage(room, "before " + i);
        }
        bob.sync();
        bob.join(room).expect(200);

        List<String> bodies = new ArrayList<>();
        List<String> types = new ArrayList<>();
        String from = null;
        for (int page = 0; page < 20; page++) {
            JsonNode answer = bob.get(messagesPath(room, from, 7)).expect(200).json();
            for (JsonNode event : answer.path("chunk")) {
                types.add(event.path("type").asText());
                if (event.path("type").asText().equals("m.room.message")) {
                    bodies.add(0, event.path("content").path("body").asText());
                }
            }
            if (!answer.has("end")) {
                break;
            }
            from = answer.path("end").asText();
        }
        List<String> expected = new ArrayList<>();
        for (int i = 0; i < 30; i++) {
            expected.add("before " + i);
        }
        assertThat(bodies).containsExactlyElementsOf(expected);
        assertThat(types).as("the history reaches the room's creation").contains("m.room.create");
        // the fetched history is history: bob's next sync does not bring it as new
        assertThat(bob.sync().timeline(room)).extracting(ClientEvent::type).doesNotContain("m.room.message");
        // alice's later messages reach bob as usual after his server backfilled
        alice.sendMessage(room, "after");
        assertThat(bob.awaitEvent(room, e -> e.body().filter("after"::equals).isPresent()))
                .isNotNull();
    }

    @Test
    void anInviteInCreateRoomReachesAUserOfAnotherServerWhoCanRejectIt() {
        ObjectNode body = JsonNodeFactory.instance.objectNode().put("preset", "private_chat");
        body.putArray("invite").add(bob.userId());
        String room = alice.createRoom(body);

        bob.awaitSync(sync -> sync.json().path("rooms").path("invite").has(room), Duration.ofSeconds(30));
        bob.leave(room).expect(200);

        alice.awaitEvent(
                room,
                e -> e.type().equals("m.room.member")
                        && bob.userId().equals(e.stateKey().orElse(null))
                        && "leave".equals(e.content().path("membership").asText()));
    }

    @Test
    void aUserWhoLeftARoomOfAnotherServerSeesTheNextInviteAndJoinsAgain() {
        ObjectNode body = JsonNodeFactory.instance.objectNode().put("preset", "private_chat");
        String room = alice.createRoom(body);
        alice.invite(room, bob.userId()).expect(200);
        bob.awaitSync(sync -> sync.json().path("rooms").path("invite").has(room), Duration.ofSeconds(30));
        bob.join(room).expect(200);
        bob.leave(room).expect(200);
        bob.awaitSync(sync -> sync.json().path("rooms").path("leave").has(room), Duration.ofSeconds(30));
        // the leave reaches alice's server over federation, after bob's own server has it
        alice.awaitEvent(
                room,
                e -> e.type().equals("m.room.member")
                        && bob.userId().equals(e.stateKey().orElse(null))
                        && "leave".equals(e.content().path("membership").asText()));

        alice.invite(room, bob.userId()).expect(200);

        bob.awaitSync(sync -> sync.json().path("rooms").path("invite").has(room), Duration.ofSeconds(30));
        bob.join(room).expect(200);
        alice.awaitEvent(
                room,
                e -> e.type().equals("m.room.member")
                        && bob.userId().equals(e.stateKey().orElse(null))
                        && "join".equals(e.content().path("membership").asText()));
    }

    @Test
    void aCreatorWhoLeftTheirOwnRoomJoinsAgainThroughTheServerThatInvitedThem() {
        ObjectNode body = JsonNodeFactory.instance.objectNode().put("preset", "private_chat");
        body.putObject("power_level_content_override").put("invite", 0);
        String room = alice.createRoom(body);
        alice.invite(room, bob.userId()).expect(200);
        bob.awaitSync(sync -> sync.json().path("rooms").path("invite").has(room), Duration.ofSeconds(30));
        bob.join(room).expect(200);
        alice.leave(room).expect(200);
        bob.awaitEvent(
                room,
                e -> alice.userId().equals(e.stateKey().orElse(null))
                        && "leave".equals(e.content().path("membership").asText()));

        // a.test is no longer in its own room: only b.test can let alice back in
        bob.invite(room, alice.userId()).expect(200);
        alice.awaitSync(sync -> sync.json().path("rooms").path("invite").has(room), Duration.ofSeconds(30));
        alice.join(room).expect(200);

        bob.awaitEvent(
                room,
                e -> alice.userId().equals(e.stateKey().orElse(null))
                        && "join".equals(e.content().path("membership").asText()));
    }

    @Test
    void anUnreachableOrLyingServerLeavesTheLocalHistoryAsItIs() {
        String room = publicRoom();
        alice.sendMessage(room, "old");
        bob.join(room).expect(200);

        federation.link("b.test", "a.test").fail();
        List<String> unreachable =
                types(bob.get(messagesPath(room, null, 10)).expect(200).json());
        assertThat(unreachable).containsExactly("m.room.member");

        // a server answering events of another room, unsigned ones and thousands of copies
        ArrayNode pdus = JsonNodeFactory.instance.arrayNode();
        for (int i = 0; i < 5000; i++) {
            pdus.addObject()
                    .put("room_id", "!elsewhere:a.test")
                    .put("type", "m.room.message")
                    .put("sender", alice.userId())
                    .put("depth", i);
        }
        ObjectNode answer =
                JsonNodeFactory.instance.objectNode().put("origin", "a.test").put("origin_server_ts", 1);
        answer.set("pdus", pdus);
        byte[] bytes = answer.toString().getBytes(StandardCharsets.UTF_8);
        federation
                .link("b.test", "a.test")
                .heal()
                .answerWith(request -> request.uri().getPath().startsWith("/_matrix/federation/v1/backfill/")
                        ? Optional.of(
                                new OutboundResponse(200, Map.of("content-type", List.of("application/json")), bytes))
                        : Optional.empty());
        assertThat(types(bob.get(messagesPath(room, null, 10)).expect(200).json()))
                .containsExactly("m.room.member");
    }

    private String publicRoom() {
        return alice.createRoom(JsonNodeFactory.instance.objectNode().put("preset", "public_chat"));
    }

    private static String messagesPath(String room, String from, int limit) {
        return "/_matrix/client/v3/rooms/" + TestClient.encode(room) + "/messages?dir=b&limit=" + limit
                + (from == null ? "" : "&from=" + TestClient.encode(from));
    }

    private static List<String> types(JsonNode answer) {
        List<String> out = new ArrayList<>();
        answer.path("chunk").forEach(e -> out.add(e.path("type").asText()));
        return out;
    }
}
