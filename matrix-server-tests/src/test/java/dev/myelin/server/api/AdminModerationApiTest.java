package dev.myelin.server.api;

import static dev.myelin.testing.TestClient.encode;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.myelin.testing.HomeserverExtension;
import dev.myelin.testing.OverrideConfig;
import dev.myelin.testing.TestClient;
import dev.myelin.testing.TestHomeserver;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Server admins' moderation of accounts: shadow-bans, suspensions and locks (Synapse's admin API
 * and the Client-Server API's admin endpoints) and per-user rate limits, and what each does to the
 * user's requests.
 */
@ExtendWith(HomeserverExtension.class)
class AdminModerationApiTest {
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private static ObjectNode text(String body) {
        return NODES.objectNode().put("msgtype", "m.text").put("body", body);
    }

    private static JsonNode details(TestHomeserver hs, String admin, String user) {
        return hs.request("GET", "/_synapse/admin/v2/users/" + encode(user), null, admin)
                .expect(200)
                .json();
    }

    @Test
    void aShadowBannedUsersSendsAndInvitesSeemToSucceedButReachNoOne(TestHomeserver hs) {
        String admin = WhoisApiTest.registerAdmin(hs);
        TestClient alice = hs.registerUser("alice");
        TestClient bob = hs.registerUser("bob");
        TestClient carol = hs.registerUser("carol");
        String room = alice.createRoom(NODES.objectNode().put("preset", "public_chat"));
        bob.join(room).expect(200);
        String ban = "/_synapse/admin/v1/users/" + encode(bob.userId()) + "/shadow_ban";
        assertThat(hs.request("POST", ban, null, admin).expect(200).json()).isEqualTo(NODES.objectNode());
        assertThat(details(hs, admin, bob.userId()).path("shadow_banned").asBoolean())
                .isTrue();

        String fake = bob.put("/_matrix/client/v3/rooms/" + encode(room) + "/send/m.room.message/t1", text("spam"))
                .expect(200)
                .json()
                .path("event_id")
                .asText();
        assertThat(fake).startsWith("$");
        bob.put(
                        "/_matrix/client/v3/rooms/" + encode(room) + "/state/m.room.topic/",
                        NODES.objectNode().put("topic", "spam"))
                .expect(200);
        assertThat(bob.invite(room, carol.userId()).expect(200).json()).isEqualTo(NODES.objectNode());
        alice.sendMessage(room, "real");
        assertThat(alice.messages(room).stream()
                        .filter(e ->
                                e.sender().equals(bob.userId()) && !e.type().equals("m.room.member"))
                        .toList())
                .isEmpty();
        assertThat(carol.sync().invitedRooms()).isEmpty();

        hs.request("DELETE", ban, null, admin).expect(200);
        assertThat(details(hs, admin, bob.userId()).path("shadow_banned").asBoolean())
                .isFalse();
        String real = bob.sendMessage(room, "back");
        assertThat(alice.messages(room).stream()
                        .map(e -> e.eventId().orElse(""))
                        .toList())
                .contains(real);

        assertThat(bob.post(ban, NODES.objectNode()).expect(403).errcode()).isEqualTo("M_FORBIDDEN");
        assertThat(hs.request(
                                "POST",
                                "/_synapse/admin/v1/users/" + encode("@nobody:" + hs.serverName()) + "/shadow_ban",
                                null,
                                admin)
                        .expect(404)
                        .errcode())
                .isEqualTo("M_NOT_FOUND");
        assertThat(hs.request(
                                "POST",
                                "/_synapse/admin/v1/users/" + encode("@x:elsewhere.example") + "/shadow_ban",
                                null,
                                admin)
                        .expect(400)
                        .json()
                        .path("error")
                        .asText())
                .isEqualTo("Only local users can be shadow-banned");
    }

    @Test
    void aSuspendedUserReadsButCannotSendJoinInviteOrChangeTheirProfile(TestHomeserver hs) {
        String admin = WhoisApiTest.registerAdmin(hs);
        TestClient alice = hs.registerUser("alice");
        TestClient bob = hs.registerUser("bob");
        String room = alice.createRoom(NODES.objectNode().put("preset", "public_chat"));
        String other = alice.createRoom(NODES.objectNode().put("preset", "public_chat"));
        bob.join(room).expect(200);
        String mine = bob.sendMessage(room, "before");

        String suspend = "/_synapse/admin/v1/suspend/" + encode(bob.userId());
        assertThat(hs.request("PUT", suspend, NODES.objectNode().put("suspend", true), admin)
                        .expect(200)
                        .json())
                .isEqualTo(NODES.objectNode().put("user_" + bob.userId() + "_suspended", true));
        assertThat(details(hs, admin, bob.userId()).path("suspended").asBoolean())
                .isTrue();

        for (var refused : List.of(
                bob.put("/_matrix/client/v3/rooms/" + encode(room) + "/send/m.room.message/t1", text("x")),
                bob.put(
                        "/_matrix/client/v3/rooms/" + encode(room) + "/state/m.room.topic/",
                        NODES.objectNode().put("topic", "x")),
                bob.join(other),
                bob.invite(room, alice.userId()),
                bob.post("/_matrix/client/v3/createRoom", NODES.objectNode()),
                bob.put(
                        "/_matrix/client/v3/profile/" + encode(bob.userId()) + "/displayname",
                        NODES.objectNode().put("displayname", "B")))) {
            assertThat(refused.expect(403).errcode()).isEqualTo("M_USER_SUSPENDED");
        }
        bob.get("/_matrix/client/v3/rooms/" + encode(room) + "/messages?dir=b").expect(200);
        bob.sync();
        bob.put("/_matrix/client/v3/rooms/" + encode(room) + "/redact/" + encode(mine) + "/r1", NODES.objectNode())
                .expect(200);
        bob.leave(room).expect(200);

        // the Client-Server API's admin endpoint reads and lifts it
        String cs = "/_matrix/client/v1/admin/suspend/" + encode(bob.userId());
        assertThat(hs.request("GET", cs, null, admin).expect(200).json())
                .isEqualTo(NODES.objectNode().put("suspended", true));
        assertThat(hs.request("PUT", cs, NODES.objectNode().put("suspended", false), admin)
                        .expect(200)
                        .json())
                .isEqualTo(NODES.objectNode().put("suspended", false));
        bob.join(other).expect(200);

        assertThat(bob.put(suspend, NODES.objectNode().put("suspend", true))
                        .expect(403)
                        .errcode())
                .isEqualTo("M_FORBIDDEN");
        assertThat(bob.get(cs).expect(403).errcode()).isEqualTo("M_FORBIDDEN");
        assertThat(hs.request("PUT", suspend, NODES.objectNode().put("suspend", "yes"), admin)
                        .expect(400)
                        .errcode())
                .isEqualTo("M_INVALID_PARAM");
        assertThat(hs.request("PUT", cs, NODES.objectNode(), admin).expect(400).errcode())
                .isEqualTo("M_MISSING_PARAM");
        assertThat(hs.request(
                                "PUT",
                                "/_matrix/client/v1/admin/suspend/" + encode("@admin:" + hs.serverName()),
                                NODES.objectNode().put("suspended", true),
                                admin)
                        .expect(403)
                        .errcode())
                .isEqualTo("M_FORBIDDEN");
        assertThat(hs.request(
                                "GET",
                                "/_matrix/client/v1/admin/suspend/" + encode("@nobody:" + hs.serverName()),
                                null,
                                admin)
                        .expect(404)
                        .errcode())
                .isEqualTo("M_NOT_FOUND");
        assertThat(hs.request("GET", "/_matrix/client/v1/admin/suspend/" + encode("@x:elsewhere.example"), null, admin)
                        .expect(400)
                        .errcode())
                .isEqualTo("M_INVALID_PARAM");
        assertThat(hs.request(
                                "PUT",
                                "/_synapse/admin/v1/suspend/" + encode("@nobody:" + hs.serverName()),
                                NODES.objectNode().put("suspend", true),
                                admin)
                        .expect(404)
                        .errcode())
                .isEqualTo("M_NOT_FOUND");
    }

    @Test
    void aLockedUserIsRefusedEverythingButLogout(TestHomeserver hs) {
        String admin = WhoisApiTest.registerAdmin(hs);
        TestClient bob = hs.registerUser("bob");
        TestClient bobPhone = hs.login("bob", "password");
        String lock = "/_matrix/client/v1/admin/lock/" + encode(bob.userId());
        assertThat(hs.request("PUT", lock, NODES.objectNode().put("locked", true), admin)
                        .expect(200)
                        .json())
                .isEqualTo(NODES.objectNode().put("locked", true));
        JsonNode refused =
                bob.get("/_matrix/client/v3/account/whoami").expect(401).json();
        assertThat(refused.path("errcode").asText()).isEqualTo("M_USER_LOCKED");
        assertThat(refused.path("soft_logout").asBoolean()).isTrue();
        bob.get("/_matrix/client/v3/sync?timeout=0").expect(401);
        ObjectNode login = NODES.objectNode().put("type", "m.login.password").put("password", "password");
        login.set("identifier", NODES.objectNode().put("type", "m.id.user").put("user", "bob"));
        assertThat(hs.anonymous()
                        .post("/_matrix/client/v3/login", login)
                        .expect(401)
                        .errcode())
                .isEqualTo("M_USER_LOCKED");
        assertThat(hs.request("GET", lock, null, admin).expect(200).json())
                .isEqualTo(NODES.objectNode().put("locked", true));
        assertThat(details(hs, admin, bob.userId()).path("locked").asBoolean()).isTrue();
        bobPhone.post("/_matrix/client/v3/logout", NODES.objectNode()).expect(200);

        hs.request("PUT", lock, NODES.objectNode().put("locked", false), admin).expect(200);
        bob.get("/_matrix/client/v3/account/whoami").expect(200);
        hs.anonymous().post("/_matrix/client/v3/login", login).expect(200);
        assertThat(bob.put(lock, NODES.objectNode().put("locked", true))
                        .expect(403)
                        .errcode())
                .isEqualTo("M_FORBIDDEN");
        assertThat(hs.request("PUT", lock, NODES.objectNode().put("locked", "no"), admin)
                        .expect(400)
                        .errcode())
                .isEqualTo("M_INVALID_PARAM");
    }

    @Test
    @OverrideConfig(key = "rc_message", value = "{per_second: 0.1, burst_count: 2}")
    void rateLimitOverridesReplaceOrLiftTheConfiguredLimit(TestHomeserver hs) {
        String admin = WhoisApiTest.registerAdmin(hs);
        TestClient bob = hs.registerUser("bob");
        String room = bob.createRoom(null);
        String override = "/_synapse/admin/v1/users/" + encode(bob.userId()) + "/override_ratelimit";
        assertThat(hs.request("GET", override, null, admin).expect(200).json()).isEqualTo(NODES.objectNode());

        int sent = 0;
        while (send(bob, room, sent) == 200) {
            sent++;
        }
        assertThat(sent).isEqualTo(2);

        ObjectNode exempt = NODES.objectNode().put("messages_per_second", 0).put("burst_count", 0);
        assertThat(hs.request("POST", override, exempt, admin).expect(200).json())
                .isEqualTo(exempt);
        assertThat(hs.request("GET", override, null, admin).expect(200).json()).isEqualTo(exempt);
        for (int i = 0; i < 10; i++) {
            assertThat(send(bob, room, 100 + i)).isEqualTo(200);
        }

        ObjectNode five = NODES.objectNode().put("messages_per_second", 1).put("burst_count", 5);
        hs.request("POST", override, five, admin).expect(200);
        int burst = 0;
        while (send(bob, room, 200 + burst) == 200) {
            burst++;
        }
        assertThat(burst).isEqualTo(5);

        assertThat(hs.request("DELETE", override, null, admin).expect(200).json())
                .isEqualTo(NODES.objectNode());
        assertThat(hs.request("GET", override, null, admin).expect(200).json()).isEqualTo(NODES.objectNode());

        assertThat(bob.get(override).expect(403).errcode()).isEqualTo("M_FORBIDDEN");
        assertThat(hs.request("POST", override, NODES.objectNode().put("messages_per_second", -1), admin)
                        .expect(400)
                        .errcode())
                .isEqualTo("M_INVALID_PARAM");
        assertThat(hs.request("POST", override, NODES.objectNode().put("burst_count", "many"), admin)
                        .expect(400)
                        .errcode())
                .isEqualTo("M_INVALID_PARAM");
        assertThat(hs.request(
                                "GET",
                                "/_synapse/admin/v1/users/" + encode("@nobody:" + hs.serverName())
                                        + "/override_ratelimit",
                                null,
                                admin)
                        .expect(404)
                        .errcode())
                .isEqualTo("M_NOT_FOUND");
    }

    private static int send(TestClient client, String room, int txn) {
        return client.put("/_matrix/client/v3/rooms/" + encode(room) + "/send/m.room.message/m" + txn, text("hi"))
                .status();
    }
}
