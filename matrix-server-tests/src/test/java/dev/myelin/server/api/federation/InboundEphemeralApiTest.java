package dev.myelin.server.api.federation;

import static dev.myelin.server.api.federation.RoomReadsFixture.BOB;
import static dev.myelin.server.api.federation.RoomReadsFixture.publicRoom;
import static dev.myelin.server.api.federation.RoomReadsFixture.remoteJoins;
import static dev.myelin.server.api.federation.RoomReadsFixture.trustRemote;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.myelin.testing.HomeserverExtension;
import dev.myelin.testing.OverrideConfig;
import dev.myelin.testing.TestClient;
import dev.myelin.testing.TestHomeserver;
import dev.myelin.testing.TestResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * {@code m.typing} and {@code m.receipt} EDUs in {@code /send} transactions from another server:
 * they count only for the origin's own users, joined to the room, and name known events.
 */
@ExtendWith(HomeserverExtension.class)
@OverrideConfig(key = "trusted_key_servers", value = "[]")
@OverrideConfig(key = "rc_federation", value = "{sleep_limit: 1000, reject_limit: 1000}")
class InboundEphemeralApiTest {
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    private static final String STRANGER = "@eve:elsewhere.example";

    private static TestResponse send(TestHomeserver hs, String txnId, ObjectNode... edus) {
        ObjectNode body = NODES.objectNode();
        body.put("origin", SignedRequests.REMOTE.toString());
        body.put("origin_server_ts", hs.time().nowMillis());
        body.putArray("pdus");
        body.putArray("edus").addAll(List.of(edus));
        return SignedRequests.signed(hs, "PUT", "/_matrix/federation/v1/send/" + txnId, body);
    }

    private static ObjectNode typing(String room, String user, JsonNode typing) {
        ObjectNode edu = NODES.objectNode().put("edu_type", "m.typing");
        edu.putObject("content").put("room_id", room).put("user_id", user).set("typing", typing);
        return edu;
    }

    private static ObjectNode receipt(String room, String user, String eventId) {
        ObjectNode edu = NODES.objectNode().put("edu_type", "m.receipt");
        ObjectNode receipt =
                edu.putObject("content").putObject(room).putObject("m.read").putObject(user);
        receipt.putArray("event_ids").add(eventId);
        receipt.putObject("data").put("ts", 1234).put("sneaky", "dropped");
        return edu;
    }

    private static JsonNode ephemeral(TestClient client, String room) {
        return client.sync(null, Map.of("timeout", "0"))
                .path("rooms")
                .path("join")
                .path(room)
                .path("ephemeral")
                .path("events");
    }

    private static List<String> typists(TestClient client, String room) {
        List<String> out = new ArrayList<>();
        for (JsonNode event : ephemeral(client, room)) {
            if (event.path("type").asText().equals("m.typing")) {
                event.path("content").path("user_ids").forEach(u -> out.add(u.asText()));
            }
        }
        return out;
    }

    private static JsonNode readers(TestClient client, String room, String eventId) {
        for (JsonNode event : ephemeral(client, room)) {
            if (event.path("type").asText().equals("m.receipt")) {
                return event.path("content").path(eventId).path("m.read");
            }
        }
        return NODES.objectNode();
    }

    @Test
    void typingOfTheOriginsJoinedUserIsShownAndOthersAreDropped(TestHomeserver hs) {
        trustRemote(hs);
        TestClient alice = hs.registerUser("alice");
        String room = publicRoom(alice);
        String otherRoom = publicRoom(alice);
        remoteJoins(hs, room);

        send(
                        hs,
                        "t1",
                        typing(room, STRANGER, NODES.booleanNode(true)),
                        typing(otherRoom, BOB.toString(), NODES.booleanNode(true)),
                        typing(room, BOB.toString(), NODES.textNode("yes")),
                        typing("not a room", BOB.toString(), NODES.booleanNode(true)))
                .expect(200);
        assertThat(typists(alice, room)).isEmpty();
        assertThat(typists(alice, otherRoom)).isEmpty();

        send(hs, "t2", typing(room, BOB.toString(), NODES.booleanNode(true))).expect(200);
        assertThat(typists(alice, room)).containsExactly(BOB.toString());

        send(hs, "t3", typing(room, BOB.toString(), NODES.booleanNode(false))).expect(200);
        assertThat(typists(alice, room)).isEmpty();
    }

    @Test
    void receiptsOfTheOriginsJoinedUserForKnownEventsAreShown(TestHomeserver hs) {
        trustRemote(hs);
        TestClient alice = hs.registerUser("alice");
        String room = publicRoom(alice);
        remoteJoins(hs, room);
        String message = alice.sendMessage(room, "read me");

        send(
                        hs,
                        "r1",
                        receipt(room, STRANGER, message),
                        receipt(room, BOB.toString(), "$unknown:elsewhere.example"),
                        receipt("!nowhere:elsewhere.example", BOB.toString(), message))
                .expect(200);
        assertThat(readers(alice, room, message).has(STRANGER)).isFalse();

        send(hs, "r2", receipt(room, BOB.toString(), message)).expect(200);
        JsonNode read = readers(alice, room, message);
        assertThat(read.path(BOB.toString()).path("ts").asLong()).isEqualTo(1234);
        assertThat(read.path(BOB.toString()).has("sneaky")).isFalse();
    }

    private static ObjectNode presence(String user, String state, JsonNode statusMsg) {
        ObjectNode edu = NODES.objectNode().put("edu_type", "m.presence");
        ObjectNode entry = edu.putObject("content").putArray("push").addObject();
        entry.put("user_id", user).put("presence", state).put("last_active_ago", 5000);
        entry.set("status_msg", statusMsg);
        return edu;
    }

    private static JsonNode presenceOf(TestClient client, String user) {
        for (JsonNode event :
                client.sync(null, Map.of("timeout", "0")).path("presence").path("events")) {
            if (event.path("sender").asText().equals(user)) {
                return event.path("content");
            }
        }
        return NODES.missingNode();
    }

    @Test
    void presenceOfTheOriginsUsersWhoShareARoomIsShown(TestHomeserver hs) {
        trustRemote(hs);
        TestClient alice = hs.registerUser("alice");
        String room = publicRoom(alice);
        remoteJoins(hs, room);

        send(
                        hs,
                        "p1",
                        presence(STRANGER, "online", NODES.textNode("not yours")),
                        presence(BOB.toString(), "dancing", NODES.nullNode()),
                        presence(BOB.toString(), "online", NODES.numberNode(7)))
                .expect(200);
        assertThat(presenceOf(alice, BOB.toString()).isMissingNode()).isTrue();

        send(hs, "p2", presence(BOB.toString(), "unavailable", NODES.textNode("at lunch")))
                .expect(200);
        JsonNode content = presenceOf(alice, BOB.toString());
        assertThat(content.path("presence").asText()).isEqualTo("unavailable");
        assertThat(content.path("status_msg").asText()).isEqualTo("at lunch");
        assertThat(alice.get("/_matrix/client/v3/presence/" + TestClient.encode(BOB.toString()) + "/status")
                        .expect(200)
                        .json()
                        .path("presence")
                        .asText())
                .isEqualTo("unavailable");
    }
}
