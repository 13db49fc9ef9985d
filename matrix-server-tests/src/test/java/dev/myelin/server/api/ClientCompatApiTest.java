package dev.myelin.server.api;

import static dev.myelin.server.api.SyncApiTest.assertError;
import static dev.myelin.testing.TestClient.encode;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.myelin.core.id.RoomId;
import dev.myelin.storage.room.ReportStore;
import dev.myelin.testing.HomeserverExtension;
import dev.myelin.testing.TestClient;
import dev.myelin.testing.TestHomeserver;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** VoIP, third-party protocols, OpenID, reporting and room upgrades. */
@ExtendWith(HomeserverExtension.class)
class ClientCompatApiTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String V3 = "/_matrix/client/v3";

    private static ObjectNode json(String text) {
        try {
            return (ObjectNode) JSON.readTree(text);
        } catch (Exception e) {
            throw new IllegalArgumentException(e);
        }
    }

    private static String rooms(String room) {
        return V3 + "/rooms/" + encode(room);
    }

    @Test
    void turnServerAndProtocolsAreEmptyWithoutConfiguration(TestHomeserver hs) {
        TestClient alice = hs.registerUser("alice");
        assertThat(alice.get(V3 + "/voip/turnServer").expect(200).json()).isEqualTo(json("{}"));
        assertThat(alice.get(V3 + "/thirdparty/protocols").expect(200).json()).isEqualTo(json("{}"));
        assertError(hs.anonymous().get(V3 + "/voip/turnServer"), 401, "M_MISSING_TOKEN");
        assertError(hs.anonymous().get(V3 + "/thirdparty/protocols"), 401, "M_MISSING_TOKEN");
    }

    @Test
    void openIdTokensIdentifyTheUserUntilTheyExpire(TestHomeserver hs) {
        TestClient alice = hs.registerUser("alice");
        TestClient bob = hs.registerUser("bob");
        JsonNode issued = alice.post(V3 + "/user/" + encode(alice.userId()) + "/openid/request_token", json("{}"))
                .expect(200)
                .json();
        assertThat(issued.get("token_type").asText()).isEqualTo("Bearer");
        assertThat(issued.get("matrix_server_name").asText()).isEqualTo("test.local");
        assertThat(issued.get("expires_in").asLong()).isEqualTo(3600);
        String token = issued.get("access_token").asText();
        String userinfo = "/_matrix/federation/v1/openid/userinfo?access_token=" + encode(token);

        assertThat(hs.anonymous().get(userinfo).expect(200).json()).isEqualTo(json("{\"sub\":\"@alice:test.local\"}"));
        hs.clock().advance(Duration.ofMinutes(59));
        assertThat(hs.anonymous().get(userinfo).expect(200).json().get("sub").asText())
                .isEqualTo(alice.userId());
        hs.clock().advance(Duration.ofMinutes(1));
        assertError(hs.anonymous().get(userinfo), 401, "M_UNKNOWN_TOKEN");

        assertError(
                hs.anonymous().get("/_matrix/federation/v1/openid/userinfo?access_token=nope"), 401, "M_UNKNOWN_TOKEN");
        // no token is an unknown token: the spec's one error for this endpoint
        assertError(hs.anonymous().get("/_matrix/federation/v1/openid/userinfo"), 401, "M_UNKNOWN_TOKEN");
        assertError(hs.anonymous().get("/_matrix/federation/v1/openid/userinfo?access_token="), 401, "M_UNKNOWN_TOKEN");
        assertError(
                bob.post(V3 + "/user/" + encode(alice.userId()) + "/openid/request_token", json("{}")),
                403,
                "M_FORBIDDEN");
        assertError(
                hs.anonymous().post(V3 + "/user/" + encode(alice.userId()) + "/openid/request_token", json("{}")),
                401,
                "M_MISSING_TOKEN");
    }

    @Test
    void reportsOfVisibleEventsAndRoomsAreStored(TestHomeserver hs) {
        TestClient alice = hs.registerUser("alice");
        TestClient bob = hs.registerUser("bob");
        TestClient eve = hs.registerUser("eve");
        String room = alice.createRoom(json("{\"preset\":\"public_chat\"}"));
        bob.join(room).expect(200);
        String spam = alice.sendMessage(room, "spam");

        bob.post(rooms(room) + "/report/" + encode(spam), json("{\"reason\":\"spam\",\"score\":-100}"))
                .expect(200);
        bob.post(rooms(room) + "/report/" + encode(spam), json("{}")).expect(200);
        bob.post(rooms(room) + "/report", json("{\"reason\":\"\"}")).expect(200);
        List<ReportStore.Report> stored = hs.homeserver().testSeam().reports(RoomId.parse(room));
        assertThat(stored)
                .extracting(
                        r -> r.event().map(Object::toString).orElse("room"),
                        ReportStore.Report::reason,
                        ReportStore.Report::score)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple(spam, Optional.of("spam"), OptionalLong.of(-100)),
                        org.assertj.core.groups.Tuple.tuple(spam, Optional.empty(), OptionalLong.empty()),
                        org.assertj.core.groups.Tuple.tuple("room", Optional.of(""), OptionalLong.empty()));
        assertThat(stored).allMatch(r -> r.reporter().toString().equals(bob.userId()));

        assertError(eve.post(rooms(room) + "/report/" + encode(spam), json("{}")), 404, "M_NOT_FOUND");
        assertError(eve.post(rooms(room) + "/report", json("{\"reason\":\"x\"}")), 404, "M_NOT_FOUND");
        assertError(bob.post(rooms(room) + "/report/" + encode("$missing"), json("{}")), 404, "M_NOT_FOUND");
        assertError(bob.post(rooms("!gone:test.local") + "/report", json("{\"reason\":\"x\"}")), 404, "M_NOT_FOUND");
        assertError(bob.post(rooms(room) + "/report/" + encode(spam), json("{\"score\":5}")), 400, "M_INVALID_PARAM");
        assertError(bob.post(rooms(room) + "/report/" + encode(spam), json("{\"reason\":1}")), 400, "M_BAD_JSON");
        assertError(bob.post(rooms(room) + "/report", json("{}")), 400, "M_MISSING_PARAM");
        assertError(bob.post(rooms(room) + "/report/" + encode(spam), json("{\"score\":-1.5}")), 400, "M_BAD_JSON");
        assertError(bob.post(rooms(room) + "/report/" + encode(spam), json("{\"score\":\"-5\"}")), 400, "M_BAD_JSON");
        assertError(
                bob.post(rooms(room) + "/report/" + encode(spam), json("{\"score\":-101}")), 400, "M_INVALID_PARAM");
        assertError(bob.post(rooms(room) + "/report/" + encode(spam), "{"), 400, "M_NOT_JSON");
        assertError(bob.post(rooms(room) + "/report", json("{\"reason\":5}")), 400, "M_BAD_JSON");
        assertError(bob.post(rooms(room) + "/report", json("{\"reason\":null}")), 400, "M_MISSING_PARAM");
        // PostgreSQL cannot store NUL in text: 500 there before it was refused
        assertError(bob.post(rooms(room) + "/report", json("{\"reason\":\"a\\u0000\"}")), 400, "M_INVALID_PARAM");
        assertError(
                bob.post(rooms(room) + "/report/" + encode(spam), json("{\"reason\":\"\\u0000\"}")),
                400,
                "M_INVALID_PARAM");
        assertError(bob.post(rooms(room) + "/report", "[]"), 400, "M_BAD_JSON");
        assertError(bob.post(rooms(room) + "/report/not-an-event", json("{}")), 400, "M_INVALID_PARAM");

        alice.put(rooms(room) + "/redact/" + encode(spam) + "/t1", json("{}")).expect(200);
        assertError(bob.post(rooms(room) + "/report/" + encode(spam), json("{}")), 404, "M_NOT_FOUND");
    }

    @Test
    void upgradingCopiesStateAndTombstonesTheOldRoom(TestHomeserver hs) {
        TestClient alice = hs.registerUser("alice");
        TestClient bob = hs.registerUser("bob");
        String room = alice.createRoom(json("""
                {"preset":"public_chat","name":"Lobby","topic":"Say hi","visibility":"public",
                 "initial_state":[{"type":"m.room.encryption","state_key":"",
                                   "content":{"algorithm":"m.megolm.v1.aes-sha2"}},
                                  {"type":"m.room.history_visibility","state_key":"",
                                   "content":{"history_visibility":"joined"}}],
                 "power_level_content_override":{"users":{"@alice:test.local":100,"@bob:test.local":50}}}"""));
        bob.join(room).expect(200);
        alice.sendState(room, "m.room.avatar", "", json("{\"url\":\"mxc://test.local/pic\"}"));

        assertError(bob.post(rooms(room) + "/upgrade", json("{\"new_version\":\"11\"}")), 403, "M_FORBIDDEN");
        assertError(
                alice.post(rooms(room) + "/upgrade", json("{\"new_version\":\"999\"}")),
                400,
                "M_UNSUPPORTED_ROOM_VERSION");
        assertError(alice.post(rooms(room) + "/upgrade", json("{}")), 400, "M_MISSING_PARAM");
        assertError(alice.post(rooms(room) + "/upgrade", json("{\"new_version\":11}")), 400, "M_BAD_JSON");
        assertError(alice.post(rooms(room) + "/upgrade", "{nope"), 400, "M_NOT_JSON");
        assertError(
                alice.post(rooms("!gone:test.local") + "/upgrade", json("{\"new_version\":\"11\"}")),
                404,
                "M_NOT_FOUND");

        String replacement = alice.post(rooms(room) + "/upgrade", json("{\"new_version\":\"11\"}"))
                .expect(200)
                .json()
                .get("replacement_room")
                .asText();
        assertThat(replacement).isNotEqualTo(room);

        String newState = rooms(replacement) + "/state/";
        JsonNode create = alice.get(newState + "m.room.create/").expect(200).json();
        assertThat(create.get("room_version").asText()).isEqualTo("11");
        assertThat(create.at("/predecessor/room_id").asText()).isEqualTo(room);
        assertThat(alice.get(newState + "m.room.name/").expect(200).json()).isEqualTo(json("{\"name\":\"Lobby\"}"));
        assertThat(alice.get(newState + "m.room.topic/")
                        .expect(200)
                        .json()
                        .get("topic")
                        .asText())
                .isEqualTo("Say hi");
        assertThat(alice.get(newState + "m.room.avatar/").expect(200).json())
                .isEqualTo(json("{\"url\":\"mxc://test.local/pic\"}"));
        assertThat(alice.get(newState + "m.room.join_rules/").expect(200).json())
                .isEqualTo(json("{\"join_rule\":\"public\"}"));
        assertThat(alice.get(newState + "m.room.history_visibility/")
                        .expect(200)
                        .json())
                .isEqualTo(json("{\"history_visibility\":\"joined\"}"));
        assertThat(alice.get(newState + "m.room.encryption/").expect(200).json())
                .isEqualTo(json("{\"algorithm\":\"m.megolm.v1.aes-sha2\"}"));
        assertThat(alice.get(newState + "m.room.power_levels/")
                        .expect(200)
                        .json()
                        .at("/users/@bob:test.local")
                        .asInt())
                .isEqualTo(50);

        JsonNode tombstone =
                alice.get(rooms(room) + "/state/m.room.tombstone/").expect(200).json();
        assertThat(tombstone.get("replacement_room").asText()).isEqualTo(replacement);
        assertThat(alice.get(rooms(room) + "/state/m.room.power_levels/")
                        .expect(200)
                        .json()
                        .get("events_default")
                        .asInt())
                .as("the old room is muted")
                .isEqualTo(50);
        JsonNode directory = alice.get(V3 + "/directory/list/room/" + encode(replacement))
                .expect(200)
                .json();
        assertThat(directory.get("visibility").asText()).isEqualTo("public");
        assertThat(alice.get(V3 + "/directory/list/room/" + encode(room))
                        .expect(200)
                        .json()
                        .get("visibility")
                        .asText())
                .isEqualTo("private");
    }
}
