package dev.myelin.server.api.appservice;

import static dev.myelin.server.api.appservice.FakeBridges.json;
import static dev.myelin.testing.TestClient.encode;
import static org.assertj.core.api.Assertions.assertThat;

import dev.myelin.testing.TestClient;
import dev.myelin.testing.TestHomeserver;
import dev.myelin.testing.TestResponse;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What an application service may do for its users that they may not: choose timestamps, deactivate without a password. */
class AppServiceActionsApiTest {
    private static final String V3 = "/_matrix/client/v3";

    @TempDir
    Path dir;

    private static void assertError(TestResponse response, int status, String errcode) {
        assertThat(response.status()).as(response.body()).isEqualTo(status);
        assertThat(response.errcode()).as(response.body()).isEqualTo(errcode);
    }

    private static long originServerTs(TestClient reader, String room, TestResponse sent) {
        String id = sent.expect(200).json().get("event_id").asText();
        return reader.get(V3 + "/rooms/" + encode(room) + "/event/" + encode(id))
                .expect(200)
                .json()
                .get("origin_server_ts")
                .asLong();
    }

    @Test
    void aServiceChoosesTheTimestampOfTheEventsItSends() {
        FakeBridges bridges = new FakeBridges(dir).register("irc", true);
        try (TestHomeserver hs = bridges.start()) {
            TestClient ghost = hs.registerUser("irc_ghost");
            String room = ghost.createRoom(json("{}").deepCopy());
            String as = "?user_id=" + encode(ghost.userId()) + "&ts=";
            String send = V3 + "/rooms/" + encode(room) + "/send/m.room.message/";
            String state = V3 + "/rooms/" + encode(room) + "/state/m.room.topic/";
            long now = hs.clock().nowMillis();

            assertThat(originServerTs(
                            ghost,
                            room,
                            hs.request("PUT", send + "t1" + as + "1234", json("{\"body\": \"old\"}"), "as-irc")))
                    .isEqualTo(1234);
            assertThat(originServerTs(
                            ghost, room, hs.request("PUT", state + as + "5678", json("{\"topic\": \"t\"}"), "as-irc")))
                    .isEqualTo(5678);
            assertThat(originServerTs(
                            ghost,
                            room,
                            hs.request("PUT", send + "t2?user_id=" + encode(ghost.userId()), json("{}"), "as-irc")))
                    .isEqualTo(now);
            // a user's ts is ignored, as Synapse does
            assertThat(originServerTs(ghost, room, ghost.put(send + "t3?ts=1234", json("{\"body\": \"x\"}"))))
                    .isEqualTo(now);
            assertThat(originServerTs(ghost, room, ghost.put(state + "?ts=1234", json("{\"topic\": \"u\"}"))))
                    .isEqualTo(now);
            for (String bad : new String[] {"abc", "-5", "1.5", "99999999999999999999", ""}) {
                assertError(
                        hs.request("PUT", send + "bad" + as + encode(bad), json("{}"), "as-irc"),
                        400,
                        "M_INVALID_PARAM");
                assertError(hs.request("PUT", state + as + encode(bad), json("{}"), "as-irc"), 400, "M_INVALID_PARAM");
            }
        }
    }

    @Test
    void aServiceDeactivatesItsUsersWithoutUserInteractiveAuth() {
        FakeBridges bridges = new FakeBridges(dir).register("irc", true);
        try (TestHomeserver hs = bridges.start()) {
            TestClient ghost = hs.registerUser("irc_ghost");
            TestClient alice = hs.registerUser("alice");
            String deactivate = V3 + "/account/deactivate?user_id=";
            assertError(
                    hs.request("POST", deactivate + encode(alice.userId()), json("{}"), "as-irc"), 403, "M_FORBIDDEN");
            assertThat(alice.post(V3 + "/account/deactivate", json("{}")).status())
                    .isEqualTo(401);
            assertThat(hs.request("POST", deactivate + encode(ghost.userId()), json("{}"), "as-irc")
                            .expect(200)
                            .json())
                    .isEqualTo(json("{\"id_server_unbind_result\": \"success\"}"));
            assertError(ghost.get(V3 + "/account/whoami"), 401, "M_UNKNOWN_TOKEN");
            assertError(
                    hs.request("GET", V3 + "/account/whoami?user_id=" + encode(ghost.userId()), null, "as-irc"),
                    403,
                    "M_FORBIDDEN");
            alice.get(V3 + "/account/whoami").expect(200);
        }
    }
}
