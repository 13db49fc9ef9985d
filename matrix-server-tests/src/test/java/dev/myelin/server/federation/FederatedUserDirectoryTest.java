package dev.myelin.server.federation;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.myelin.testing.TestClient;
import dev.myelin.testing.TestFederation;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The user directory finds other servers' users who share a room with the searcher, and only them. */
class FederatedUserDirectoryTest {
    private static final String SEARCH = "/_matrix/client/v3/user_directory/search";

    @Test
    void otherServersUsersAreFoundWhileTheyShareARoom() {
        try (TestFederation federation = TestFederation.start("a.test", "b.test")) {
            TestClient alice = federation.server("a.test").registerUser("alice");
            TestClient carol = federation.server("a.test").registerUser("carol");
            TestClient bob = federation.server("b.test").registerUser("bob");
            alice.put(
                            "/_matrix/client/v3/profile/" + TestClient.encode(alice.userId()) + "/displayname",
                            JsonNodeFactory.instance.objectNode().put("displayname", "Alice Wonder"))
                    .expect(200);
            String room = alice.createRoom(JsonNodeFactory.instance.objectNode().put("preset", "public_chat"));
            carol.createRoom(JsonNodeFactory.instance.objectNode().put("preset", "public_chat"));
            bob.join(room).expect(200);

            JsonNode byName = search(bob, "wonder");
            assertThat(userIds(byName)).containsExactly(alice.userId());
            assertThat(byName.at("/results/0/display_name").asText()).isEqualTo("Alice Wonder");
            assertThat(userIds(search(bob, "alic"))).containsExactly(alice.userId());
            assertThat(userIds(search(bob, "carol")))
                    .as("carol shares no room with bob")
                    .isEmpty();

            bob.leave(room).expect(200);
            assertThat(userIds(search(bob, "wonder"))).isEmpty();
        }
    }

    private static JsonNode search(TestClient client, String term) {
        return client.post(SEARCH, JsonNodeFactory.instance.objectNode().put("search_term", term))
                .expect(200)
                .json();
    }

    private static List<String> userIds(JsonNode answer) {
        List<String> out = new ArrayList<>();
        answer.path("results").forEach(r -> out.add(r.path("user_id").asText()));
        return out;
    }
}
