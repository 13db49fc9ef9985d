package dev.myelin.server.api;

import static dev.myelin.server.api.SyncApiTest.assertError;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.myelin.testing.HomeserverExtension;
import dev.myelin.testing.TestClient;
import dev.myelin.testing.TestHomeserver;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(HomeserverExtension.class)
class UserDirectoryApiTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String SEARCH = "/_matrix/client/v3/user_directory/search";

    private static ObjectNode json(String text) {
        try {
            return (ObjectNode) JSON.readTree(text);
        } catch (Exception e) {
            throw new IllegalArgumentException(e);
        }
    }

    private static List<String> userIds(JsonNode response) {
        List<String> out = new ArrayList<>();
        response.get("results").forEach(r -> out.add(r.get("user_id").asText()));
        return out;
    }

    private static JsonNode search(TestClient client, String term) {
        return client.post(SEARCH, json("{}").put("search_term", term))
                .expect(200)
                .json();
    }

    @Test
    void findsUsersSharingARoomByLocalpartOrDisplayNameIgnoringCase(TestHomeserver hs) {
        TestClient alice = hs.registerUser("alice");
        TestClient bob = hs.registerUser("bob");
        TestClient stranger = hs.registerUser("bobby");
        bob.put(
                        "/_matrix/client/v3/profile/" + bob.userId() + "/displayname",
                        json("{\"displayname\":\"Robert Smith\"}"))
                .expect(200);
        bob.put(
                        "/_matrix/client/v3/profile/" + bob.userId() + "/avatar_url",
                        json("{\"avatar_url\":\"mxc://test.local/face\"}"))
                .expect(200);
        String room = alice.createRoom(null);
        alice.invite(room, bob.userId()).expect(200);
        bob.join(room).expect(200);

        assertThat(search(alice, "SMITH")).isEqualTo(json("""
                {"limited":false,"results":[{"user_id":"@bob:test.local","display_name":"Robert Smith",
                  "avatar_url":"mxc://test.local/face"}]}"""));
        assertThat(userIds(search(alice, "bo")))
                .as("bobby shares no room with alice")
                .containsExactly("@bob:test.local");
        assertThat(userIds(search(alice, "alice")))
                .as("sharing a private room with others does not make the searcher visible to themself")
                .isEmpty();
        assertThat(userIds(search(stranger, "ob")))
                .as("bobby shares no room and is in no public room, so not even he finds himself")
                .isEmpty();
        assertThat(userIds(search(alice, "%")))
                .as("wildcards are plain characters")
                .isEmpty();
        assertThat(userIds(search(alice, "  "))).isEmpty();
    }

    @Test
    void aTermLongerThanAnyNameMatchesNothingInsteadOfFailing(TestHomeserver hs) {
        TestClient alice = hs.registerUser("alice");
        alice.createRoom(json("{\"preset\":\"public_chat\"}"));
        String longest = "a".repeat(256);
        alice.put(
                        "/_matrix/client/v3/profile/" + alice.userId() + "/displayname",
                        json("{}").put("displayname", longest))
                .expect(200);
        assertThat(userIds(search(alice, longest))).containsExactly("@alice:test.local");
        assertThat(search(alice, longest + "a")).isEqualTo(json("{\"limited\":false,\"results\":[]}"));
        assertThat(search(alice, "a%_".repeat(350_000))).isEqualTo(json("{\"limited\":false,\"results\":[]}"));
    }

    @Test
    void termWithNulMatchesNothingOnEveryDatabase(TestHomeserver hs) {
        TestClient alice = hs.registerUser("alice");
        // PostgreSQL refuses NUL in a text parameter; the search answered 500 there
        assertThat(userIds(search(alice, "ali\u0000"))).isEmpty();
        assertThat(userIds(search(alice, "\u0000"))).isEmpty();
    }

    @Test
    void usersInPublicRoomsAreVisibleToEveryone(TestHomeserver hs) {
        TestClient alice = hs.registerUser("alice");
        TestClient carol = hs.registerUser("carol");
        assertThat(userIds(search(alice, "carol"))).isEmpty();
        carol.createRoom(json("{\"preset\":\"public_chat\"}"));
        assertThat(userIds(search(alice, "carol"))).containsExactly("@carol:test.local");
    }

    @Test
    void searchersFindThemselvesOnlyThroughAPublicRoom(TestHomeserver hs) {
        TestClient alice = hs.registerUser("alice");
        TestClient bob = hs.registerUser("bob");
        assertThat(userIds(search(alice, "alice"))).as("in no room").isEmpty();
        String room = bob.createRoom(json("{\"preset\":\"public_chat\"}"));
        alice.join(room).expect(200);
        assertThat(userIds(search(alice, "alice"))).containsExactly("@alice:test.local");
        alice.leave(room).expect(200);
        assertThat(userIds(search(alice, "alice"))).as("after leaving").isEmpty();
    }

    @Test
    void aRoomAnyoneCanReadIsPublicForTheDirectory(TestHomeserver hs) {
        TestClient alice = hs.registerUser("alice");
        TestClient carol = hs.registerUser("carol");
        String room = carol.createRoom(json("{\"preset\":\"private_chat\"}"));
        assertThat(userIds(search(alice, "carol"))).isEmpty();
        carol.sendState(room, "m.room.history_visibility", "", json("{\"history_visibility\":\"world_readable\"}"));
        assertThat(userIds(search(alice, "carol"))).containsExactly("@carol:test.local");
        carol.sendState(room, "m.room.join_rules", "", json("{\"join_rule\":\"public\"}"));
        carol.sendState(room, "m.room.history_visibility", "", json("{\"history_visibility\":\"shared\"}"));
        assertThat(userIds(search(alice, "carol")))
                .as("still public by its join rule")
                .containsExactly("@carol:test.local");
        carol.sendState(room, "m.room.join_rules", "", json("{\"join_rule\":\"invite\"}"));
        assertThat(userIds(search(alice, "carol"))).isEmpty();
    }

    @Test
    void limitsResultsAndLeavesOutDeactivatedUsers(TestHomeserver hs) {
        TestClient alice = hs.registerUser("alice");
        String room = alice.createRoom(json("{\"preset\":\"public_chat\"}"));
        for (String name : new String[] {"user1", "user2", "user3"}) {
            hs.registerUser(name).join(room).expect(200);
        }
        JsonNode limited = alice.post(SEARCH, json("{\"search_term\":\"user\",\"limit\":2}"))
                .expect(200)
                .json();
        assertThat(userIds(limited)).containsExactly("@user1:test.local", "@user2:test.local");
        assertThat(limited.get("limited").asBoolean()).isTrue();
        JsonNode all = alice.post(SEARCH, json("{\"search_term\":\"user\"}"))
                .expect(200)
                .json();
        assertThat(all.get("limited").asBoolean()).isFalse();

        TestClient gone = hs.login("user3", "password");
        ObjectNode deactivate = json("{}");
        deactivate
                .putObject("auth")
                .put("type", "m.login.password")
                .put("password", "password")
                .putObject("identifier")
                .put("type", "m.id.user")
                .put("user", "user3");
        gone.post("/_matrix/client/v3/account/deactivate", deactivate).expect(200);
        assertThat(userIds(search(alice, "user"))).containsExactly("@user1:test.local", "@user2:test.local");
    }

    @Test
    void rejectsBadRequests(TestHomeserver hs) {
        TestClient alice = hs.registerUser("alice");
        assertError(alice.post(SEARCH, json("{}")), 400, "M_MISSING_PARAM");
        assertError(alice.post(SEARCH, json("{\"search_term\":1}")), 400, "M_BAD_JSON");
        assertError(alice.post(SEARCH, json("{\"search_term\":\"a\",\"limit\":\"ten\"}")), 400, "M_BAD_JSON");
        assertError(alice.post(SEARCH, json("{\"search_term\":\"a\",\"limit\":-1}")), 400, "M_INVALID_PARAM");
        assertError(alice.post(SEARCH, "not json"), 400, "M_NOT_JSON");
        assertError(alice.post(SEARCH, "[]"), 400, "M_BAD_JSON");
        assertError(hs.anonymous().post(SEARCH, json("{\"search_term\":\"a\"}")), 401, "M_MISSING_TOKEN");
    }
}
