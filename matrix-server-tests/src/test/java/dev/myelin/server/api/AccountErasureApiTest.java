package dev.myelin.server.api;

import static dev.myelin.server.api.DeviceApiTest.passwordAuth;
import static dev.myelin.testing.TestClient.encode;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.myelin.testing.ClientEvent;
import dev.myelin.testing.HomeserverExtension;
import dev.myelin.testing.TestClient;
import dev.myelin.testing.TestHomeserver;
import dev.myelin.testing.TestResponse;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** {@code POST /account/deactivate} with {@code erase}: who still reads what the user wrote. */
@ExtendWith(HomeserverExtension.class)
class AccountErasureApiTest {
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    private static final String DEACTIVATE = "/_matrix/client/v3/account/deactivate";

    private static void deactivate(TestClient client, String password, Optional<Boolean> erase) {
        TestResponse challenge = client.post(DEACTIVATE, NODES.objectNode());
        ObjectNode body = passwordAuth(
                client.userId(), password, challenge.json().get("session").asText());
        erase.ifPresent(e -> body.put("erase", e));
        client.post(DEACTIVATE, body).expect(200);
    }

    private static JsonNode content(TestClient reader, String room, String eventId) {
        ClientEvent event = reader.messages(room).stream()
                .filter(e -> e.eventId().filter(eventId::equals).isPresent())
                .findFirst()
                .orElseThrow();
        return event.content();
    }

    @Test
    void onlyThoseJoinedAtTheTimeStillReadAnErasedUsersMessages(TestHomeserver hs) {
        TestClient alice = hs.registerUser("alice", "pw");
        TestClient bob = hs.registerUser("bob");
        TestClient carol = hs.registerUser("carol");
        String room = alice.createRoom(NODES.objectNode().put("preset", "public_chat"));
        bob.join(room).expect(200);
        String message = alice.sendMessage(room, "body1");
        carol.join(room).expect(200);
        assertThat(content(carol, room, message).get("body").asText()).isEqualTo("body1");

        deactivate(alice, "pw", Optional.of(true));

        assertThat(content(bob, room, message).get("body").asText()).isEqualTo("body1");
        assertThat(content(carol, room, message)).isEqualTo(NODES.objectNode());
        assertThat(carol.get("/_matrix/client/v3/rooms/" + encode(room) + "/event/" + encode(message))
                        .expect(200)
                        .json()
                        .get("content"))
                .isEqualTo(NODES.objectNode());
        assertThat(carol.sync().timeline(room).stream()
                        .filter(e -> e.eventId().filter(message::equals).isPresent())
                        .map(ClientEvent::content)
                        .toList())
                .containsExactly(NODES.objectNode());
    }

    @Test
    void deactivatingWithoutEraseLeavesMessagesReadable(TestHomeserver hs) {
        TestClient alice = hs.registerUser("alice", "pw");
        TestClient carol = hs.registerUser("carol");
        String room = alice.createRoom(NODES.objectNode().put("preset", "public_chat"));
        String message = alice.sendMessage(room, "kept");
        carol.join(room).expect(200);

        deactivate(alice, "pw", Optional.of(false));

        assertThat(content(carol, room, message).get("body").asText()).isEqualTo("kept");
    }
}
