package dev.myelin.server.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.myelin.testing.HomeserverExtension;
import dev.myelin.testing.OverrideConfig;
import dev.myelin.testing.TestHomeserver;
import dev.myelin.testing.TestResponse;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Guest accounts (the spec's Guest Access module): registration with {@code kind=guest} under
 * {@code allow_guest_access}, the endpoints guests may and may not call, joins only of {@code
 * can_join} rooms, eviction when guest access is revoked, the upgrade to a full account, and
 * non-members reading {@code world_readable} rooms.
 */
@ExtendWith(HomeserverExtension.class)
class GuestAccessApiTest {
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String CLIENT = "/_matrix/client/v3";
    private static final String GUEST_REGISTER = CLIENT + "/register?kind=guest";

    @Test
    void guestRegistrationIsRefusedUnlessAllowed(TestHomeserver hs) {
        TestResponse response = hs.request("POST", GUEST_REGISTER, NODES.objectNode(), (String) null);
        assertThat(response.status()).isEqualTo(403);
        assertThat(response.json())
                .isEqualTo(NODES.objectNode()
                        .put("errcode", "M_GUEST_ACCESS_FORBIDDEN")
                        .put("error", "Guest access is disabled"));
    }

    @Test
    @OverrideConfig(key = "allow_guest_access", value = "true")
    void aGuestIsANumericAccountLoggedInWithoutAuthStages(TestHomeserver hs) throws Exception {
        JsonNode guest = hs.request("POST", GUEST_REGISTER, NODES.objectNode(), (String) null)
                .expect(200)
                .json();
        String userId = guest.path("user_id").asText();
        assertThat(userId).matches("@[0-9]+:" + hs.serverName());
        assertThat(guest.path("access_token").asText()).isNotEmpty();
        assertThat(guest.path("device_id").asText()).isNotEmpty();

        JsonNode whoami = call(hs, guest.path("access_token").asText(), "GET", CLIENT + "/account/whoami", null, 200);
        assertThat(whoami)
                .isEqualTo(JSON.readTree("{\"user_id\":\"" + userId + "\",\"device_id\":\""
                        + guest.path("device_id").asText() + "\",\"is_guest\":true}"));
        // a second guest is another account
        String other = hs.request("POST", GUEST_REGISTER, NODES.objectNode(), (String) null)
                .expect(200)
                .json()
                .path("user_id")
                .asText();
        assertThat(other).isNotEqualTo(userId);
        // the kind is checked
        assertError(hs, null, "POST", CLIENT + "/register?kind=robot", NODES.objectNode(), 400, "M_INVALID_PARAM");
    }

    @Test
    @OverrideConfig(key = "allow_guest_access", value = "true")
    void guestsCallOnlyTheEndpointsListedForThem(TestHomeserver hs) {
        String guest = registerGuest(hs);
        String alice = hs.registerUser("alice").accessToken().orElseThrow();
        String room = createRoom(hs, alice);
        for (String[] closed : List.of(
                new String[] {"POST", CLIENT + "/createRoom"},
                new String[] {"GET", CLIENT + "/pushrules/"},
                new String[] {"POST", CLIENT + "/rooms/" + room + "/invite"},
                new String[] {"PUT", CLIENT + "/profile/@x:" + hs.serverName() + "/avatar_url"},
                new String[] {"GET", CLIENT + "/events"},
                new String[] {"POST", "/_matrix/media/v3/upload"},
                new String[] {"GET", "/_synapse/admin/v2/users/@x:" + hs.serverName()})) {
            assertError(hs, guest, closed[0], closed[1], NODES.objectNode(), 403, "M_GUEST_ACCESS_FORBIDDEN");
        }
        call(hs, guest, "GET", CLIENT + "/sync?timeout=0", null, 200);
        call(hs, guest, "GET", CLIENT + "/devices", null, 200);
        call(hs, guest, "GET", CLIENT + "/joined_rooms", null, 200);
        // a full user is not limited by the list
        call(hs, alice, "GET", CLIENT + "/pushrules/", null, 200);
    }

    @Test
    @OverrideConfig(key = "allow_guest_access", value = "true")
    void guestsJoinOnlyRoomsThatLetGuestsJoin(TestHomeserver hs) {
        String guest = registerGuest(hs);
        String alice = hs.registerUser("alice").accessToken().orElseThrow();
        String room = createRoom(hs, alice);

        assertError(
                hs,
                guest,
                "POST",
                CLIENT + "/rooms/" + room + "/join",
                NODES.objectNode(),
                403,
                "M_GUEST_ACCESS_FORBIDDEN");
        assertError(
                hs,
                guest,
                "POST",
                CLIENT + "/join/" + encode(room),
                NODES.objectNode(),
                403,
                "M_GUEST_ACCESS_FORBIDDEN");
        setGuestAccess(hs, alice, room, "forbidden");
        assertError(
                hs,
                guest,
                "POST",
                CLIENT + "/join/" + encode(room),
                NODES.objectNode(),
                403,
                "M_GUEST_ACCESS_FORBIDDEN");
        // an unknown room is closed to guests; a malformed one is the join's own error
        assertError(
                hs,
                guest,
                "POST",
                CLIENT + "/join/" + encode("!nowhere:" + hs.serverName()),
                NODES.objectNode(),
                403,
                "M_GUEST_ACCESS_FORBIDDEN");
        assertThat(hs.request("POST", CLIENT + "/join/nonsense", NODES.objectNode(), guest)
                        .status())
                .isEqualTo(400);

        setGuestAccess(hs, alice, room, "can_join");
        call(hs, guest, "POST", CLIENT + "/join/" + encode(room), NODES.objectNode(), 200);
        String guestId = whoami(hs, guest);
        call(
                hs,
                guest,
                "PUT",
                CLIENT + "/rooms/" + room + "/send/m.room.message/t1",
                NODES.objectNode().put("msgtype", "m.text").put("body", "hi"),
                200);
        assertThat(membership(hs, alice, room, guestId)).isEqualTo("join");
    }

    @Test
    @OverrideConfig(key = "allow_guest_access", value = "true")
    void guestsLeaveARoomThatRevokesGuestAccess(TestHomeserver hs) {
        String guest = registerGuest(hs);
        String guestId = whoami(hs, guest);
        String alice = hs.registerUser("alice").accessToken().orElseThrow();
        String bob = hs.registerUser("bob").accessToken().orElseThrow();
        String room = createRoom(hs, alice);
        setGuestAccess(hs, alice, room, "can_join");
        call(hs, guest, "POST", CLIENT + "/rooms/" + room + "/join", NODES.objectNode(), 200);
        call(hs, bob, "POST", CLIENT + "/rooms/" + room + "/join", NODES.objectNode(), 200);

        setGuestAccess(hs, alice, room, "forbidden");

        assertThat(eventually(() -> "leave".equals(membership(hs, alice, room, guestId))))
                .isTrue();
        JsonNode leave =
                call(hs, alice, "GET", CLIENT + "/rooms/" + room + "/state/m.room.member/" + guestId, null, 200);
        assertThat(leave).isEqualTo(NODES.objectNode().put("membership", "leave"));
        // full users stay
        assertThat(membership(hs, alice, room, whoami(hs, bob))).isEqualTo("join");
    }

    @Test
    @OverrideConfig(key = "allow_guest_access", value = "true")
    void aGuestUpgradesToAFullAccountWithItsOwnName(TestHomeserver hs) {
        String guest = registerGuest(hs);
        String guestId = whoami(hs, guest);
        String localpart = guestId.substring(1, guestId.indexOf(':'));
        String otherGuest = registerGuest(hs);

        // another guest's token does not upgrade this one
        ObjectNode stolen = NODES.objectNode()
                .put("username", localpart)
                .put("password", "sesame-sesame")
                .put("guest_access_token", otherGuest);
        stolen.putObject("auth").put("type", "m.login.dummy");
        assertError(hs, null, "POST", CLIENT + "/register", stolen, 403, "M_FORBIDDEN");
        // nor does a full user's token, nor an unknown one; a username is required
        String alice = hs.registerUser("alice").accessToken().orElseThrow();
        ObjectNode full = stolen.deepCopy().put("guest_access_token", alice);
        assertError(hs, null, "POST", CLIENT + "/register", full, 403, "M_FORBIDDEN");
        ObjectNode unknown = stolen.deepCopy().put("guest_access_token", "no-such-token");
        assertError(hs, null, "POST", CLIENT + "/register", unknown, 401, "M_UNKNOWN_TOKEN");
        ObjectNode nameless = stolen.deepCopy().put("guest_access_token", guest);
        nameless.remove("username");
        assertError(hs, null, "POST", CLIENT + "/register", nameless, 400, "M_MISSING_PARAM");

        ObjectNode upgrade = stolen.deepCopy().put("guest_access_token", guest);
        JsonNode registered = call(hs, null, "POST", CLIENT + "/register", upgrade, 200);
        assertThat(registered.path("user_id").asText()).isEqualTo(guestId);
        String token = registered.path("access_token").asText();
        assertThat(call(hs, token, "GET", CLIENT + "/account/whoami", null, 200)
                        .path("is_guest")
                        .asBoolean())
                .isFalse();
        // now a full user: may create rooms and log in with the password
        call(hs, token, "POST", CLIENT + "/createRoom", NODES.objectNode(), 200);
        hs.login(localpart, "sesame-sesame");
        // the upgrade happens once
        ObjectNode again = upgrade.deepCopy().put("guest_access_token", token);
        assertError(hs, null, "POST", CLIENT + "/register", again, 403, "M_FORBIDDEN");
    }

    @Test
    @OverrideConfig(key = "allow_guest_access", value = "true")
    void nonMembersReadWorldReadableRoomsOnly(TestHomeserver hs) {
        String guest = registerGuest(hs);
        String alice = hs.registerUser("alice").accessToken().orElseThrow();
        String bob = hs.registerUser("bob").accessToken().orElseThrow();
        String room = createRoom(hs, alice);
        String aliceId = whoami(hs, alice);
        for (String reader : List.of(guest, bob)) {
            assertError(hs, reader, "GET", CLIENT + "/rooms/" + room + "/state", null, 403, "M_FORBIDDEN");
            assertError(hs, reader, "GET", CLIENT + "/rooms/" + room + "/initialSync", null, 403, "M_FORBIDDEN");
        }
        call(
                hs,
                alice,
                "PUT",
                CLIENT + "/rooms/" + room + "/state/m.room.history_visibility/",
                NODES.objectNode().put("history_visibility", "world_readable"),
                200);
        call(
                hs,
                alice,
                "PUT",
                CLIENT + "/rooms/" + room + "/send/m.room.message/t1",
                NODES.objectNode().put("msgtype", "m.text").put("body", "public"),
                200);
        for (String reader : List.of(guest, bob)) {
            assertThat(call(hs, reader, "GET", CLIENT + "/rooms/" + room + "/state", null, 200)
                            .size())
                    .isGreaterThan(3);
            assertThat(call(hs, reader, "GET", CLIENT + "/rooms/" + room + "/state/m.room.member/" + aliceId, null, 200)
                            .path("membership")
                            .asText())
                    .isEqualTo("join");
            JsonNode messages =
                    call(hs, reader, "GET", CLIENT + "/rooms/" + room + "/messages?dir=b&limit=1", null, 200);
            assertThat(messages.path("chunk")
                            .path(0)
                            .path("content")
                            .path("body")
                            .asText())
                    .isEqualTo("public");
            JsonNode initial = call(hs, reader, "GET", CLIENT + "/rooms/" + room + "/initialSync", null, 200);
            assertThat(initial.path("room_id").asText()).isEqualTo(room);
            JsonNode events = call(hs, reader, "GET", CLIENT + "/events?timeout=0&room_id=" + encode(room), null, 200);
            assertThat(events.has("chunk")).isTrue();
        }
    }

    private static String registerGuest(TestHomeserver hs) {
        return hs.request("POST", GUEST_REGISTER, NODES.objectNode(), (String) null)
                .expect(200)
                .json()
                .path("access_token")
                .asText();
    }

    private static String whoami(TestHomeserver hs, String token) {
        return call(hs, token, "GET", CLIENT + "/account/whoami", null, 200)
                .path("user_id")
                .asText();
    }

    private static String createRoom(TestHomeserver hs, String token) {
        return call(
                        hs,
                        token,
                        "POST",
                        CLIENT + "/createRoom",
                        NODES.objectNode().put("preset", "public_chat"),
                        200)
                .path("room_id")
                .asText();
    }

    private static void setGuestAccess(TestHomeserver hs, String token, String room, String access) {
        call(
                hs,
                token,
                "PUT",
                CLIENT + "/rooms/" + room + "/state/m.room.guest_access/",
                NODES.objectNode().put("guest_access", access),
                200);
    }

    private static String membership(TestHomeserver hs, String token, String room, String user) {
        TestResponse response =
                hs.request("GET", CLIENT + "/rooms/" + room + "/state/m.room.member/" + user, null, token);
        return response.status() == 200 ? response.json().path("membership").asText() : "none";
    }

    private static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }

    private static JsonNode call(TestHomeserver hs, String token, String method, String path, Object body, int status) {
        return hs.request(method, path, body, token).expect(status).json();
    }

    private static void assertError(
            TestHomeserver hs, String token, String method, String path, Object body, int status, String errcode) {
        TestResponse response = hs.request(method, path, body, token);
        assertThat(response.status()).as("%s %s %s", method, path, body).isEqualTo(status);
        assertThat(response.errcode()).as("%s %s %s", method, path, body).isEqualTo(errcode);
    }

    private static boolean eventually(BooleanSupplier condition) {
        Instant deadline = Instant.now().plusSeconds(20);
        while (Instant.now().isBefore(deadline)) {
            if (condition.getAsBoolean()) {
                return true;
            }
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
        }
        return condition.getAsBoolean();
    }
}
