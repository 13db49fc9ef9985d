package dev.myelin.server.federation;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.myelin.http.client.OutboundResponse;
import dev.myelin.testing.TestClient;
import dev.myelin.testing.TestFederation;
import dev.myelin.testing.TestResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** A client's {@code /publicRooms?server=}: another server's directory, asked over federation. */
class RemotePublicRoomsTest {
    private static final String PATH = "/_matrix/client/v3/publicRooms";

    @Test
    void aClientListsAndSearchesTheDirectoryOfAnotherServer() {
        try (TestFederation federation = TestFederation.start(
                hs -> hs.config("allow_public_rooms_over_federation", "true"), "a.test", "b.test")) {
            TestClient alice = federation.server("a.test").registerUser("alice");
            TestClient bob = federation.server("b.test").registerUser("bob");
            ObjectNode body = JsonNodeFactory.instance.objectNode().put("visibility", "public");
            String room = alice.createRoom(body.put("preset", "public_chat").put("name", "Lobby"));
            alice.createRoom(JsonNodeFactory.instance
                    .objectNode()
                    .put("visibility", "public")
                    .put("preset", "public_chat")
                    .put("name", "Other"));

            JsonNode listed =
                    bob.get(PATH + "?server=a.test&limit=10").expect(200).json();
            assertThat(listed.path("chunk").findValuesAsText("room_id")).contains(room);
            assertThat(listed.path("total_room_count_estimate").asInt()).isEqualTo(2);

            ObjectNode search = JsonNodeFactory.instance.objectNode();
            search.putObject("filter").put("generic_search_term", "lobby");
            JsonNode found =
                    bob.post(PATH + "?server=a.test", search).expect(200).json();
            assertThat(found.path("chunk").findValuesAsText("room_id")).containsExactly(room);
        }
    }

    @Test
    void refusalsArePassedOnAndFailuresAreBadGateway() {
        try (TestFederation federation = TestFederation.start("a.test", "b.test")) {
            TestClient bob = federation.server("b.test").registerUser("bob");

            // a.test does not publish its directory to other servers (the default)
            expectError(bob.get(PATH + "?server=a.test"), 403, "M_FORBIDDEN");

            federation.link("b.test", "a.test").fail();
            expectError(bob.get(PATH + "?server=a.test"), 502, "M_UNKNOWN");

            byte[] garbage = "{\"chunk\": 7}".getBytes(StandardCharsets.UTF_8);
            federation
                    .link("b.test", "a.test")
                    .heal()
                    .answerWith(request -> Optional.of(
                            new OutboundResponse(200, Map.of("content-type", List.of("application/json")), garbage)));
            expectError(bob.get(PATH + "?server=a.test"), 502, "M_UNKNOWN");
            expectError(bob.get(PATH + "?server=not%20a%20server"), 400, "M_INVALID_PARAM");
        }
    }

    private static void expectError(TestResponse response, int status, String errcode) {
        assertThat(response.status()).as(response.body()).isEqualTo(status);
        assertThat(response.errcode()).as(response.body()).isEqualTo(errcode);
    }
}
