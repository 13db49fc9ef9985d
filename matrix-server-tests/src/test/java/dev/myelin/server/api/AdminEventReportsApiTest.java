package dev.myelin.server.api;

import static dev.myelin.testing.TestClient.encode;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.myelin.testing.HomeserverExtension;
import dev.myelin.testing.TestClient;
import dev.myelin.testing.TestHomeserver;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Synapse's event reports admin API: what users reported, for server admins to read and clear. */
@ExtendWith(HomeserverExtension.class)
class AdminEventReportsApiTest {
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    private static final String REPORTS = "/_synapse/admin/v1/event_reports";

    private static List<Long> ids(JsonNode page) {
        List<Long> ids = new ArrayList<>();
        page.path("event_reports").forEach(r -> ids.add(r.path("id").asLong()));
        return ids;
    }

    @Test
    void adminsPageReadAndDeleteReports(TestHomeserver hs) {
        String admin = WhoisApiTest.registerAdmin(hs);
        TestClient alice = hs.registerUser("alice");
        TestClient bob = hs.registerUser("bob");
        String room =
                alice.createRoom(NODES.objectNode().put("preset", "public_chat").put("name", "Lobby"));
        bob.join(room).expect(200);
        String rude = alice.sendMessage(room, "rude");
        String worse = alice.sendMessage(room, "worse");
        String report = "/_matrix/client/v3/rooms/" + encode(room) + "/report/";
        bob.post(report + encode(rude), NODES.objectNode().put("reason", "rude").put("score", -50))
                .expect(200);
        bob.post(report + encode(worse), NODES.objectNode().put("reason", "worse"))
                .expect(200);
        alice.post(report + encode(worse), NODES.objectNode()).expect(200);
        bob.post(
                        "/_matrix/client/v3/rooms/" + encode(room) + "/report",
                        NODES.objectNode().put("reason", "room"))
                .expect(200);

        JsonNode all = hs.request("GET", REPORTS, null, admin).expect(200).json();
        assertThat(all.path("total").asLong()).isEqualTo(3);
        assertThat(ids(all)).containsExactly(3L, 2L, 1L);
        assertThat(all.has("next_token")).isFalse();
        JsonNode first = all.path("event_reports").get(2);
        assertThat(first.path("event_id").asText()).isEqualTo(rude);
        assertThat(first.path("room_id").asText()).isEqualTo(room);
        assertThat(first.path("user_id").asText()).isEqualTo(bob.userId());
        assertThat(first.path("sender").asText()).isEqualTo(alice.userId());
        assertThat(first.path("reason").asText()).isEqualTo("rude");
        assertThat(first.path("score").asLong()).isEqualTo(-50);
        assertThat(first.path("name").asText()).isEqualTo("Lobby");
        assertThat(first.has("event_json")).isFalse();

        JsonNode page = hs.request("GET", REPORTS + "?dir=f&limit=2", null, admin)
                .expect(200)
                .json();
        assertThat(ids(page)).containsExactly(1L, 2L);
        assertThat(page.path("next_token").asLong()).isEqualTo(2);
        assertThat(ids(hs.request("GET", REPORTS + "?dir=f&from=2", null, admin)
                        .expect(200)
                        .json()))
                .containsExactly(3L);
        assertThat(ids(hs.request("GET", REPORTS + "?user_id=" + encode(alice.userId()), null, admin)
                        .expect(200)
                        .json()))
                .containsExactly(3L);
        assertThat(hs.request("GET", REPORTS + "?room_id=" + encode("!nothing:x"), null, admin)
                        .expect(200)
                        .json()
                        .path("total")
                        .asLong())
                .isZero();

        JsonNode one =
                hs.request("GET", REPORTS + "/1", null, admin).expect(200).json();
        assertThat(one.path("event_json").path("content").path("body").asText()).isEqualTo("rude");
        assertThat(one.path("event_json").path("sender").asText()).isEqualTo(alice.userId());
        assertThat(hs.request("DELETE", REPORTS + "/1", null, admin).expect(200).json())
                .isEqualTo(NODES.objectNode());
        assertThat(hs.request("GET", REPORTS + "/1", null, admin).expect(404).errcode())
                .isEqualTo("M_NOT_FOUND");
        assertThat(hs.request("DELETE", REPORTS + "/1", null, admin).expect(404).errcode())
                .isEqualTo("M_NOT_FOUND");
        assertThat(hs.request("GET", REPORTS, null, admin)
                        .expect(200)
                        .json()
                        .path("total")
                        .asLong())
                .isEqualTo(2);
    }

    @Test
    void othersAndBadParametersAreRefused(TestHomeserver hs) {
        String admin = WhoisApiTest.registerAdmin(hs);
        TestClient bob = hs.registerUser("bob");
        assertThat(bob.get(REPORTS).expect(403).errcode()).isEqualTo("M_FORBIDDEN");
        assertThat(bob.get(REPORTS + "/1").expect(403).errcode()).isEqualTo("M_FORBIDDEN");
        for (String bad : List.of("?from=-1", "?limit=x", "?dir=up")) {
            assertThat(hs.request("GET", REPORTS + bad, null, admin).expect(400).errcode())
                    .as(bad)
                    .isEqualTo("M_INVALID_PARAM");
        }
        assertThat(hs.request("GET", REPORTS + "/abc", null, admin).expect(400).errcode())
                .isEqualTo("M_INVALID_PARAM");
        assertThat(hs.request("GET", REPORTS + "/99", null, admin).expect(404).errcode())
                .isEqualTo("M_NOT_FOUND");
    }
}
