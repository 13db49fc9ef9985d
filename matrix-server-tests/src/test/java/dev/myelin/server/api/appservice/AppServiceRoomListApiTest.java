package dev.myelin.server.api.appservice;

import static dev.myelin.server.api.appservice.FakeBridges.json;
import static dev.myelin.testing.TestClient.encode;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.myelin.testing.TestClient;
import dev.myelin.testing.TestHomeserver;
import dev.myelin.testing.TestResponse;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The room directory lists application services publish rooms in, and how the public rooms list reads them. */
class AppServiceRoomListApiTest {
    private static final String V3 = "/_matrix/client/v3";

    @TempDir
    Path dir;

    private static String list(String network, String room) {
        return V3 + "/directory/list/appservice/" + encode(network) + "/" + encode(room);
    }

    private static List<String> rooms(JsonNode page) {
        List<String> out = new ArrayList<>();
        page.get("chunk").forEach(r -> out.add(r.get("room_id").asText()));
        return out;
    }

    private static List<String> search(TestClient client, String body) {
        return rooms(client.post(V3 + "/publicRooms", json(body)).expect(200).json());
    }

    private static void assertError(TestResponse response, int status, String errcode) {
        assertThat(response.status()).as(response.body()).isEqualTo(status);
        assertThat(response.errcode()).as(response.body()).isEqualTo(errcode);
    }

    @Test
    void aServicesListIsSeparateFromTheMainList() {
        FakeBridges bridges = new FakeBridges(dir).register("irc", true, "irc").register("other", true);
        try (TestHomeserver hs = bridges.start()) {
            TestClient alice = hs.registerUser("alice");
            String bridged = alice.createRoom(
                    json("{\"preset\": \"public_chat\", \"name\": \"Bridged\"}").deepCopy());
            String both = alice.createRoom(json("{\"preset\": \"public_chat\", \"visibility\": \"public\"}")
                    .deepCopy());
            String plain = alice.createRoom(json("{\"preset\": \"public_chat\", \"visibility\": \"public\"}")
                    .deepCopy());
            for (String room : List.of(bridged, both)) {
                assertThat(hs.request("PUT", list("net", room), json("{\"visibility\": \"public\"}"), "as-irc")
                                .expect(200)
                                .json())
                        .isEqualTo(json("{}"));
            }
            hs.request("PUT", list("elsewhere", plain), json("{}"), "as-other").expect(200);

            assertThat(search(alice, "{}")).containsExactlyInAnyOrder(both, plain);
            assertThat(search(alice, "{\"third_party_instance_id\": \"irc|net\"}"))
                    .containsExactlyInAnyOrder(bridged, both);
            assertThat(search(alice, "{\"third_party_instance_id\": \"other|elsewhere\"}"))
                    .containsExactly(plain);
            assertThat(search(alice, "{\"third_party_instance_id\": \"irc|nothing\"}"))
                    .isEmpty();
            assertThat(search(alice, "{\"include_all_networks\": true}"))
                    .containsExactlyInAnyOrder(bridged, both, plain);
            JsonNode page = hs.anonymous()
                    .get(V3 + "/publicRooms?third_party_instance_id=" + encode("irc|net"))
                    .expect(200)
                    .json();
            assertThat(rooms(page)).containsExactlyInAnyOrder(bridged, both);
            assertThat(page.get("total_room_count_estimate").asLong()).isEqualTo(2);
            assertThat(rooms(hs.anonymous()
                            .get(V3 + "/publicRooms?include_all_networks=true")
                            .expect(200)
                            .json()))
                    .hasSize(3);

            hs.request("DELETE", list("net", bridged), null, "as-irc").expect(200);
            hs.request("PUT", list("net", both), json("{\"visibility\": \"private\"}"), "as-irc")
                    .expect(200);
            hs.request("DELETE", list("net", bridged), null, "as-irc").expect(200);
            assertThat(search(alice, "{\"third_party_instance_id\": \"irc|net\"}"))
                    .isEmpty();
            assertThat(search(alice, "{}")).containsExactlyInAnyOrder(both, plain);
        }
    }

    @Test
    void onlyServicesEditTheirListsAndBadInputIsRefused() {
        FakeBridges bridges = new FakeBridges(dir).register("irc", true, "irc");
        try (TestHomeserver hs = bridges.start()) {
            TestClient alice = hs.registerUser("alice");
            String room = alice.createRoom(json("{}").deepCopy());
            assertError(alice.put(list("net", room), json("{\"visibility\": \"public\"}")), 403, "M_FORBIDDEN");
            assertError(alice.request("DELETE", list("net", room), null), 403, "M_FORBIDDEN");
            assertError(hs.request("PUT", list("net", room), json("{}"), (String) null), 401, "M_MISSING_TOKEN");
            assertError(
                    hs.request("PUT", list("net", "!unknown:test.local"), json("{}"), "as-irc"), 404, "M_NOT_FOUND");
            assertError(hs.request("PUT", list("net", "not-a-room"), json("{}"), "as-irc"), 400, "M_INVALID_PARAM");
            assertError(
                    hs.request("PUT", list("net", room), json("{\"visibility\": \"hidden\"}"), "as-irc"),
                    400,
                    "M_INVALID_PARAM");
            assertError(hs.request("PUT", list("net", room), "[]", "as-irc"), 400, "M_BAD_JSON");
            assertError(
                    alice.post(V3 + "/publicRooms", json("{\"third_party_instance_id\": \"no-bar\"}")),
                    400,
                    "M_INVALID_PARAM");
            assertError(
                    alice.post(V3 + "/publicRooms", json("{\"include_all_networks\": \"yes\"}")), 400, "M_BAD_JSON");
            assertError(hs.anonymous().get(V3 + "/publicRooms?include_all_networks=maybe"), 400, "M_INVALID_PARAM");
            assertError(hs.anonymous().get(V3 + "/publicRooms?third_party_instance_id=x"), 400, "M_INVALID_PARAM");
            assertError(
                    alice.post(
                            V3 + "/publicRooms",
                            json("{\"include_all_networks\": true, \"third_party_instance_id\": \"irc|net\"}")),
                    400,
                    "M_INVALID_PARAM");
            assertError(
                    hs.anonymous().get(V3 + "/publicRooms?include_all_networks=true&third_party_instance_id=irc%7Cnet"),
                    400,
                    "M_INVALID_PARAM");
            assertThat(search(alice, "{\"third_party_instance_id\": \"irc|net\"}"))
                    .isEmpty();
        }
    }
}
