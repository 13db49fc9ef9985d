package dev.myelin.server.api;

import static dev.myelin.server.api.SyncApiTest.assertError;
import static dev.myelin.server.api.SyncApiTest.longPoll;
import static dev.myelin.testing.TestClient.encode;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.myelin.testing.HomeserverExtension;
import dev.myelin.testing.OverrideConfig;
import dev.myelin.testing.TestClient;
import dev.myelin.testing.TestHomeserver;
import dev.myelin.testing.TestResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(HomeserverExtension.class)
class PresenceApiTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    private static String status(String user) {
        return "/_matrix/client/v3/presence/" + encode(user) + "/status";
    }

    private static JsonNode json(String text) {
        try {
            return JSON.readTree(text);
        } catch (Exception e) {
            throw new IllegalArgumentException(e);
        }
    }

    /** The presence events of a sync as {@code sender=presence}. */
    private static List<String> presence(JsonNode sync) {
        List<String> out = new ArrayList<>();
        sync.at("/presence/events").forEach(e -> {
            assertThat(e.get("type").asText()).isEqualTo("m.presence");
            out.add(e.get("sender").asText() + "=" + e.at("/content/presence").asText());
        });
        return out;
    }

    @Test
    void setsAndReadsOwnPresenceWithLastActiveAgoOnTheClock(TestHomeserver hs) {
        TestClient alice = hs.registerUser("alice");
        assertThat(alice.get(status(alice.userId())).expect(200).json())
                .as("a user who never set presence is offline")
                .isEqualTo(json("{\"presence\":\"offline\",\"currently_active\":false}"));

        alice.put(status(alice.userId()), json("{\"presence\":\"online\",\"status_msg\":\"at lunch\"}"))
                .expect(200);
        hs.clock().advance(Duration.ofSeconds(5));
        assertThat(alice.get(status(alice.userId())).expect(200).json()).isEqualTo(json("""
                {"presence":"online","last_active_ago":5000,"currently_active":true,"status_msg":"at lunch"}"""));

        alice.put(status(alice.userId()), json("{\"presence\":\"unavailable\"}"))
                .expect(200);
        assertThat(alice.get(status(alice.userId())).expect(200).json())
                .as("a PUT without status_msg clears it")
                .isEqualTo(json("{\"presence\":\"unavailable\",\"last_active_ago\":0,\"currently_active\":false}"));
    }

    @Test
    void otherUsersPresenceNeedsASharedRoom(TestHomeserver hs) {
        TestClient alice = hs.registerUser("alice");
        TestClient bob = hs.registerUser("bob");
        alice.put(status(alice.userId()), json("{\"presence\":\"online\"}")).expect(200);
        assertError(bob.get(status(alice.userId())), 403, "M_FORBIDDEN");

        String room = alice.createRoom((ObjectNode) json("{\"preset\":\"public_chat\"}"));
        bob.join(room).expect(200);
        assertThat(bob.get(status(alice.userId()))
                        .expect(200)
                        .json()
                        .get("presence")
                        .asText())
                .isEqualTo("online");
    }

    @Test
    void rejectsBadRequests(TestHomeserver hs) {
        TestClient alice = hs.registerUser("alice");
        TestClient bob = hs.registerUser("bob");
        assertError(alice.put(status(bob.userId()), json("{\"presence\":\"online\"}")), 403, "M_FORBIDDEN");
        assertError(alice.put(status(alice.userId()), json("{}")), 400, "M_MISSING_PARAM");
        assertError(alice.put(status(alice.userId()), json("{\"presence\":\"busy\"}")), 400, "M_INVALID_PARAM");
        assertError(
                alice.put(status(alice.userId()), json("{\"presence\":\"online\",\"status_msg\":5}")),
                400,
                "M_BAD_JSON");
        assertError(alice.put(status(alice.userId()), "not json"), 400, "M_NOT_JSON");
        assertError(
                alice.put(
                        status(alice.userId()),
                        json("{\"presence\":\"online\",\"status_msg\":\"" + "x".repeat(1025) + "\"}")),
                400,
                "M_INVALID_PARAM");
        assertError(alice.get(status("@nobody:test.local")), 404, "M_NOT_FOUND");
        assertError(alice.get(status("@someone:elsewhere.example")), 404, "M_NOT_FOUND");
        assertError(alice.get(status("not-a-user")), 400, "M_INVALID_PARAM");
        assertError(hs.anonymous().get(status(alice.userId())), 401, "M_MISSING_TOKEN");
    }

    @Test
    void syncMarksTheUserOnlineUnlessToldOtherwise(TestHomeserver hs) {
        TestClient alice = hs.registerUser("alice");
        alice.sync(null, Map.of("set_presence", "offline"));
        assertThat(alice.get(status(alice.userId()))
                        .expect(200)
                        .json()
                        .get("presence")
                        .asText())
                .isEqualTo("offline");

        JsonNode initial = alice.sync(null, Map.of("set_presence", "unavailable"));
        assertThat(presence(initial)).containsExactly("@alice:test.local=unavailable");
        assertThat(alice.get(status(alice.userId()))
                        .expect(200)
                        .json()
                        .get("presence")
                        .asText())
                .isEqualTo("unavailable");

        JsonNode online = alice.sync(initial.get("next_batch").asText(), Map.of());
        assertThat(presence(online)).containsExactly("@alice:test.local=online");
        JsonNode again = alice.sync(online.get("next_batch").asText(), Map.of());
        assertThat(presence(again)).as("staying online is no change").isEmpty();
        assertThat(again.get("next_batch").asText())
                .isEqualTo(online.get("next_batch").asText());
    }

    @Test
    void syncShowsPresenceChangesOfUsersSharingARoomOnly(TestHomeserver hs) {
        TestClient alice = hs.registerUser("alice");
        TestClient bob = hs.registerUser("bob");
        TestClient carol = hs.registerUser("carol");
        String room = alice.createRoom((ObjectNode) json("{\"preset\":\"public_chat\"}"));
        bob.join(room).expect(200);
        String since = bob.sync(null, Map.of()).get("next_batch").asText();

        alice.put(status(alice.userId()), json("{\"presence\":\"unavailable\",\"status_msg\":\"away\"}"))
                .expect(200);
        carol.put(status(carol.userId()), json("{\"presence\":\"online\"}")).expect(200);
        JsonNode sync = bob.sync(since, Map.of());
        assertThat(presence(sync)).containsExactly("@alice:test.local=unavailable");
        assertThat(sync.at("/presence/events/0/content"))
                .isEqualTo(
                        json(
                                "{\"presence\":\"unavailable\",\"last_active_ago\":0,\"currently_active\":false,\"status_msg\":\"away\"}"));
        assertThat(sync.get("next_batch").asText()).matches("s\\d+_\\d+_\\d+_\\d+_\\d+_\\d+_\\d+");

        JsonNode filtered =
                bob.sync(since, Map.of("filter", "{\"presence\":{\"not_senders\":[\"@alice:test.local\"]}}"));
        assertThat(presence(filtered)).isEmpty();
    }

    @Test
    void aPresenceChangeWakesTheSyncsOfUsersSharingARoom(TestHomeserver hs) throws Exception {
        TestClient alice = hs.registerUser("alice");
        TestClient bob = hs.registerUser("bob");
        String room = alice.createRoom((ObjectNode) json("{\"preset\":\"public_chat\"}"));
        bob.join(room).expect(200);
        alice.sync(null, Map.of());
        String since = bob.sync(null, Map.of()).get("next_batch").asText();

        CompletableFuture<TestResponse> poll = longPoll(bob, since, 30_000);
        assertThat(hs.clock().awaitSleepers(1, Duration.ofSeconds(10))).isTrue();
        alice.put(status(alice.userId()), json("{\"presence\":\"unavailable\"}"))
                .expect(200);
        JsonNode sync = poll.get(10, TimeUnit.SECONDS).expect(200).json();
        assertThat(presence(sync)).containsExactly("@alice:test.local=unavailable");
    }

    @Test
    void tokensWithoutAPresencePartAreStillAccepted(TestHomeserver hs) {
        TestClient alice = hs.registerUser("alice");
        String token = alice.sync(null, Map.of()).get("next_batch").asText();
        String old = token.substring(0, token.lastIndexOf('_'));
        JsonNode sync = alice.sync(old, Map.of());
        assertThat(presence(sync)).as("from presence position 0").containsExactly("@alice:test.local=online");
        assertThat(sync.get("next_batch").asText()).isEqualTo(token);
    }

    @Test
    @OverrideConfig(key = "presence", value = "{enabled: false}")
    void turnedOffEveryoneIsOfflineAndSyncsCarryNoPresence(TestHomeserver hs) {
        TestClient alice = hs.registerUser("alice");
        TestClient bob = hs.registerUser("bob");
        String room = alice.createRoom(null);
        alice.invite(room, bob.userId());
        bob.join(room).expect(200);

        alice.put(status(alice.userId()), json("{\"presence\":\"online\",\"status_msg\":\"here\"}"))
                .expect(200);

        assertThat(bob.get(status(alice.userId())).expect(200).json())
                .isEqualTo(json("{\"presence\":\"offline\",\"currently_active\":false}"));
        assertThat(presence(bob.sync(null, java.util.Map.of("timeout", "0")))).isEmpty();
    }
}
