package dev.myelin.server.api;

import static dev.myelin.testing.TestClient.encode;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.myelin.testing.ClientEvent;
import dev.myelin.testing.HomeserverExtension;
import dev.myelin.testing.OverrideConfig;
import dev.myelin.testing.TestClient;
import dev.myelin.testing.TestHomeserver;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Server notices sent through Synapse's admin API ({@code send_server_notice}), and the background
 * updates status admin tools poll.
 */
@ExtendWith(HomeserverExtension.class)
class AdminServerNoticesApiTest {
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    private static final String SEND = "/_synapse/admin/v1/send_server_notice";

    private static ObjectNode notice(String user, String body) {
        ObjectNode request = NODES.objectNode().put("user_id", user);
        request.set("content", NODES.objectNode().put("msgtype", "m.text").put("body", body));
        return request;
    }

    @Test
    @OverrideConfig(
            key = "server_notices",
            value = "{system_mxid_localpart: notices, system_mxid_display_name: 'Server', room_name: 'Notices'}")
    void noticesArriveInOneTaggedRoomFromTheNoticesUser(TestHomeserver hs) {
        String admin = WhoisApiTest.registerAdmin(hs);
        TestClient alice = hs.registerUser("alice");
        String first = hs.request("POST", SEND, notice(alice.userId(), "hello"), admin)
                .expect(200)
                .json()
                .path("event_id")
                .asText();
        assertThat(first).startsWith("$");

        Set<String> invited = alice.sync().invitedRooms();
        assertThat(invited).hasSize(1);
        String room = invited.iterator().next();
        alice.join(room).expect(200);
        String txn = SEND + "/t1";
        String second = hs.request("PUT", txn, notice(alice.userId(), "again"), admin)
                .expect(200)
                .json()
                .path("event_id")
                .asText();
        assertThat(hs.request("PUT", txn, notice(alice.userId(), "again"), admin)
                        .expect(200)
                        .json()
                        .path("event_id")
                        .asText())
                .isEqualTo(second);

        List<ClientEvent> messages = alice.messages(room).stream()
                .filter(e -> e.type().equals("m.room.message"))
                .toList();
        assertThat(messages).extracting(e -> e.body().orElse("")).containsExactly("hello", "again");
        assertThat(messages).allSatisfy(e -> assertThat(e.sender()).isEqualTo("@notices:" + hs.serverName()));
        JsonNode tags = alice.get(
                        "/_matrix/client/v3/user/" + encode(alice.userId()) + "/rooms/" + encode(room) + "/tags")
                .expect(200)
                .json();
        assertThat(tags.path("tags").has("m.server_notice")).isTrue();
        JsonNode name = alice.get("/_matrix/client/v3/rooms/" + encode(room) + "/state/m.room.name/")
                .expect(200)
                .json();
        assertThat(name.path("name").asText()).isEqualTo("Notices");
        assertThat(alice.get("/_matrix/client/v3/profile/" + encode("@notices:" + hs.serverName()) + "/displayname")
                        .expect(200)
                        .json()
                        .path("displayname")
                        .asText())
                .isEqualTo("Server");

        // after leaving, the next notice invites alice back to the same room
        alice.leave(room).expect(200);
        hs.request("POST", SEND, notice(alice.userId(), "third"), admin).expect(200);
        assertThat(alice.sync().invitedRooms()).containsExactly(room);

        assertThat(alice.post(SEND, notice(alice.userId(), "x")).expect(403).errcode())
                .isEqualTo("M_FORBIDDEN");
        assertThat(hs.request("POST", SEND, notice("@nobody:" + hs.serverName(), "x"), admin)
                        .expect(404)
                        .errcode())
                .isEqualTo("M_NOT_FOUND");
        assertThat(hs.request("POST", SEND, notice("@bob:elsewhere.example", "x"), admin)
                        .expect(400)
                        .errcode())
                .isEqualTo("M_INVALID_PARAM");
        assertThat(hs.request("POST", SEND, NODES.objectNode().put("user_id", alice.userId()), admin)
                        .expect(400)
                        .errcode())
                .isEqualTo("M_MISSING_PARAM");
        assertThat(hs.request(
                                "POST",
                                SEND,
                                NODES.objectNode()
                                        .put("user_id", alice.userId())
                                        .put("content", "text"),
                                admin)
                        .expect(400)
                        .errcode())
                .isEqualTo("M_INVALID_PARAM");
    }

    @Test
    void withoutServerNoticesConfiguredSendingIsRefused(TestHomeserver hs) {
        String admin = WhoisApiTest.registerAdmin(hs);
        TestClient alice = hs.registerUser("alice");
        JsonNode refused = hs.request("POST", SEND, notice(alice.userId(), "hello"), admin)
                .expect(400)
                .json();
        assertThat(refused.path("error").asText()).isEqualTo("Server notices are not enabled on this server");
    }

    @Test
    void backgroundUpdatesAreAlwaysEnabledAndNoneRun(TestHomeserver hs) {
        String admin = WhoisApiTest.registerAdmin(hs);
        TestClient alice = hs.registerUser("alice");
        String base = "/_synapse/admin/v1/background_updates/";
        assertThat(hs.request("GET", base + "enabled", null, admin).expect(200).json())
                .isEqualTo(NODES.objectNode().put("enabled", true));
        assertThat(hs.request("POST", base + "enabled", NODES.objectNode().put("enabled", false), admin)
                        .expect(200)
                        .json())
                .isEqualTo(NODES.objectNode().put("enabled", true));
        assertThat(hs.request("GET", base + "status", null, admin).expect(200).json())
                .isEqualTo(NODES.objectNode().put("enabled", true).set("current_updates", NODES.objectNode()));
        assertThat(alice.get(base + "status").expect(403).errcode()).isEqualTo("M_FORBIDDEN");
        assertThat(hs.request("POST", base + "enabled", NODES.objectNode(), admin)
                        .expect(400)
                        .errcode())
                .isEqualTo("M_MISSING_PARAM");
    }
}
