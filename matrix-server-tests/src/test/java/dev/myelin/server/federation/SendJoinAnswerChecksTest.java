package dev.myelin.server.federation;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.myelin.core.id.RoomId;
import dev.myelin.core.json.CanonicalJson;
import dev.myelin.http.client.OutboundResponse;
import dev.myelin.testing.TestClient;
import dev.myelin.testing.TestFederation;
import dev.myelin.testing.TestResponse;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What the joining server makes of a resident server's answers it must not take as they are: a
 * send_join answer whose state lacks the create event, or holds an event whose signature does not
 * verify, and a make_join refused for the room's version.
 */
class SendJoinAnswerChecksTest {
    private TestFederation federation;
    private TestClient alice;
    private TestClient bob;
    private String room;

    @BeforeEach
    void start() {
        federation = TestFederation.start("a.test", "b.test");
        alice = federation.server("a.test").registerUser("alice");
        bob = federation.server("b.test").registerUser("bob");
        ObjectNode body = JsonNodeFactory.instance
                .objectNode()
                .put("preset", "public_chat")
                .put("name", "Named");
        room = alice.createRoom(body);
    }

    @AfterEach
    void stop() {
        federation.close();
    }

    private static Optional<OutboundResponse> json(int status, JsonNode body) {
        return Optional.of(new OutboundResponse(
                status, Map.of("content-type", List.of("application/json")), CanonicalJson.encode(body)));
    }

    /** a.test's send_join answers to b.test, changed by {@code change} on their way. */
    private void changeSendJoinAnswers(UnaryOperator<ObjectNode> change) {
        AtomicBoolean passing = new AtomicBoolean();
        federation.link("b.test", "a.test").answerWith(request -> {
            if (passing.get() || !request.uri().getPath().startsWith("/_matrix/federation/v2/send_join/")) {
                return Optional.empty();
            }
            passing.set(true);
            try {
                OutboundResponse real = federation.transport("b.test").send(request);
                ObjectNode answer = (ObjectNode) CanonicalJson.parse(real.body());
                return json(real.status(), change.apply(answer));
            } finally {
                passing.set(false);
            }
        });
    }

    private static ArrayNode without(ArrayNode events, String type) {
        ArrayNode out = JsonNodeFactory.instance.arrayNode();
        events.forEach(e -> {
            if (!e.path("type").asText().equals(type)) {
                out.add(e);
            }
        });
        return out;
    }

    private JsonNode joinedRooms() {
        return bob.get("/_matrix/client/v3/joined_rooms").expect(200).json().path("joined_rooms");
    }

    @Test
    void aStateWithoutTheCreateEventMakesNoRoom() {
        changeSendJoinAnswers(answer -> {
            answer.set("state", without((ArrayNode) answer.get("state"), "m.room.create"));
            answer.set("auth_chain", without((ArrayNode) answer.get("auth_chain"), "m.room.create"));
            return answer;
        });

        TestResponse refused = bob.join(room);

        assertThat(refused.status()).as(refused.body()).isEqualTo(502);
        assertThat(refused.errcode()).isEqualTo("M_UNKNOWN");
        assertThat(joinedRooms().size()).isZero();
        assertThat(federation
                        .server("b.test")
                        .homeserver()
                        .testSeam()
                        .stateEvent(RoomId.parse(room), "m.room.create", ""))
                .as("nothing of the room is kept")
                .isEmpty();
    }

    @Test
    void aStateEventWhoseSignatureDoesNotVerifyIsLeftOutAndTheJoinStands() {
        changeSendJoinAnswers(answer -> {
            for (JsonNode event : answer.get("state")) {
                if (event.path("type").asText().equals("m.room.name")) {
                    ((ObjectNode) event.get("signatures")).putObject("a.test").put("ed25519:a_0", "AAAA");
                }
            }
            return answer;
        });

        bob.join(room).expect(200);

        assertThat(joinedRooms().toString()).contains(room);
        assertThat(bob.get("/_matrix/client/v3/rooms/" + TestClient.encode(room) + "/state/m.room.name/")
                        .status())
                .isEqualTo(404);
        assertThat(bob.get("/_matrix/client/v3/rooms/" + TestClient.encode(room) + "/state/m.room.create/")
                        .status())
                .isEqualTo(200);
    }

    @Test
    void aMakeJoinRefusedForTheRoomVersionReachesTheClientWithTheVersion() {
        ObjectNode refusal = JsonNodeFactory.instance
                .objectNode()
                .put("errcode", "M_INCOMPATIBLE_ROOM_VERSION")
                .put("error", "upgrade")
                .put("room_version", "org.example.future");
        federation
                .link("b.test", "a.test")
                .answerWith(request -> request.uri().getPath().startsWith("/_matrix/federation/v1/make_join/")
                        ? json(400, refusal)
                        : Optional.empty());

        TestResponse refused = bob.join(room);

        assertThat(refused.status()).isEqualTo(400);
        assertThat(refused.errcode()).isEqualTo("M_INCOMPATIBLE_ROOM_VERSION");
        assertThat(refused.json().path("room_version").asText()).isEqualTo("org.example.future");
        assertThat(joinedRooms().size()).isZero();
    }
}
