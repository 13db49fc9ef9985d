package dev.myelin.server.api.threepid;

import static dev.myelin.server.api.threepid.ThreepidApiTest.V3;
import static dev.myelin.server.api.threepid.ThreepidApiTest.json;
import static dev.myelin.testing.TestClient.encode;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.myelin.testing.TestClient;
import dev.myelin.testing.TestHomeserver;
import dev.myelin.testing.TestResponse;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The homeserver's calls to an identity server of the test (over HTTPS on loopback): binding and
 * unbinding 3PIDs, unbinding on deletion and deactivation, and third-party invites from the
 * lookup through the stored invite to the invite the bound user gets.
 */
class IdentityServerApiTest {
    @TempDir
    Path dir;

    private TestIdentityServer identity;
    private TestHomeserver hs;

    @BeforeEach
    void start() throws Exception {
        identity = TestIdentityServer.start(dir);
        // the identity server's certificate is from the test's CA; loopback is allowed
        hs = TestHomeserver.builder()
                .config("federation_custom_ca_list", "['" + identity.caCertificate() + "']")
                .config("ip_range_blacklist", "[]")
                .start();
    }

    @AfterEach
    void stop() {
        hs.close();
        identity.close();
    }

    private ObjectNode bindBody(String sid) {
        return json("{\"client_secret\":\"secret\",\"id_access_token\":\"" + TestIdentityServer.ACCESS_TOKEN
                + "\",\"id_server\":\"" + identity.name() + "\",\"sid\":\"" + sid + "\"}");
    }

    @Test
    void bindsUnbindsAndUnbindsOnDeletionAndDeactivation() {
        TestClient alice = hs.registerUser("alice");
        identity.validated("sid1", "email", "alice@example.org");
        alice.post(V3 + "/account/3pid/bind", bindBody("sid1")).expect(200);
        assertThat(identity.boundTo("email", "alice@example.org")).isEqualTo(alice.userId());

        // without id_server: every identity server it was bound on through this server
        assertThat(alice.post(
                                "/_matrix/client/unstable/account/3pid/unbind",
                                json("{\"medium\":\"email\",\"address\":\"alice@example.org\"}"))
                        .expect(200)
                        .json())
                .isEqualTo(json("{\"id_server_unbind_result\":\"success\"}"));
        assertThat(identity.boundTo("email", "alice@example.org")).isNull();
        assertThat(identity.unbinds.getFirst())
                .isEqualTo(json("{\"mxid\":\"" + alice.userId() + "\",\"id_server\":\"" + identity.name()
                        + "\",\"threepid\":{\"medium\":\"email\",\"address\":\"alice@example.org\"}}"));

        // bound out of band, unbound by naming the identity server
        identity.bind("email", "alice2@example.org", alice.userId());
        assertThat(alice.post(
                                V3 + "/account/3pid/delete",
                                json("{\"medium\":\"email\",\"address\":\"alice2@example.org\",\"id_server\":\""
                                        + identity.name() + "\"}"))
                        .expect(200)
                        .json())
                .isEqualTo(json("{\"id_server_unbind_result\":\"success\"}"));
        assertThat(identity.boundTo("email", "alice2@example.org")).isNull();

        // deactivation unbinds what is still bound
        identity.validated("sid2", "email", "alice3@example.org");
        alice.post(V3 + "/account/3pid/bind", bindBody("sid2")).expect(200);
        ObjectNode deactivate = json("{}");
        String session = alice.post(V3 + "/account/deactivate", deactivate)
                .json()
                .path("session")
                .asText();
        deactivate.set("auth", ThreepidApiTest.passwordAuth("alice", "password", session));
        alice.post(V3 + "/account/deactivate", deactivate).expect(200);
        assertThat(identity.boundTo("email", "alice3@example.org")).isNull();
    }

    @Test
    void bindRefusesBadInputAndPassesOnTheIdentityServersError() {
        TestClient alice = hs.registerUser("alice");
        TestResponse unknownSession = alice.post(V3 + "/account/3pid/bind", bindBody("no-such-sid"));
        assertThat(unknownSession.status()).isEqualTo(400);
        assertThat(unknownSession.errcode()).isEqualTo("M_SESSION_NOT_VALIDATED");
        ObjectNode noToken = bindBody("sid");
        noToken.remove("id_access_token");
        assertThat(alice.post(V3 + "/account/3pid/bind", noToken).errcode()).isEqualTo("M_MISSING_PARAM");
        ObjectNode badServer = bindBody("sid");
        badServer.put("id_server", "https://evil.example/path");
        assertThat(alice.post(V3 + "/account/3pid/bind", badServer).errcode()).isEqualTo("M_INVALID_PARAM");
        ObjectNode unreachable = bindBody("sid");
        unreachable.put("id_server", "127.0.0.1:1");
        TestResponse down = alice.post(V3 + "/account/3pid/bind", unreachable);
        assertThat(down.status()).isEqualTo(400);
        assertThat(down.errcode()).isEqualTo("M_UNKNOWN");
    }

    private ObjectNode inviteBody(String address) {
        return json("{\"id_server\":\"" + identity.name() + "\",\"id_access_token\":\""
                + TestIdentityServer.ACCESS_TOKEN + "\",\"medium\":\"email\",\"address\":\"" + address + "\"}");
    }

    @Test
    void thirdPartyInvitesGoToTheBoundUserOrWaitForTheBinding() throws Exception {
        TestClient alice = hs.registerUser("alice");
        TestClient bob = hs.registerUser("bob");
        TestClient carol = hs.registerUser("carol");
        String room = alice.createRoom(json("{\"preset\":\"private_chat\",\"name\":\"Lemurs\"}"));
        String rooms = V3 + "/rooms/" + encode(room);

        // a bound address: its user is invited
        identity.bind("email", "carol@example.org", carol.userId());
        alice.post(rooms + "/invite", inviteBody("carol@example.org")).expect(200);
        assertThat(alice.get(rooms + "/state/m.room.member/" + encode(carol.userId()))
                        .expect(200)
                        .json())
                .isEqualTo(json("{\"membership\":\"invite\",\"displayname\":\"carol\"}"));

        // an unbound one: the identity server stores the invite, the room gets its keys
        alice.post(rooms + "/invite", inviteBody("Bob@Example.org")).expect(200);
        assertThat(identity.storedInvites).hasSize(1);
        JsonNode stored = identity.storedInvites.getFirst();
        assertThat(stored.path("address").asText()).isEqualTo("bob@example.org");
        assertThat(stored.path("room_id").asText()).isEqualTo(room);
        assertThat(stored.path("sender").asText()).isEqualTo(alice.userId());
        assertThat(stored.path("room_name").asText()).isEqualTo("Lemurs");
        assertThat(stored.path("room_join_rules").asText()).isEqualTo("invite");
        String validity = "https://" + identity.name() + "/_matrix/identity/v2/pubkey/isvalid";
        assertThat(alice.get(rooms + "/state/m.room.third_party_invite/invite-token-1")
                        .expect(200)
                        .json())
                .isEqualTo(json("{\"display_name\":\"a...@example.org\",\"public_keys\":[{\"public_key\":\""
                        + identity.publicKey() + "\",\"key_validity_url\":\"" + validity + "\"}],\"public_key\":\""
                        + identity.publicKey() + "\",\"key_validity_url\":\"" + validity + "\"}"));

        // the address is bound to bob: the identity server's onbind turns the invite into bob's
        identity.bind("email", "bob@example.org", bob.userId());
        ObjectNode signed = identity.sign(json("{\"mxid\":\"" + bob.userId() + "\",\"token\":\"invite-token-1\"}"));
        ObjectNode onBind =
                json("{\"medium\":\"email\",\"address\":\"bob@example.org\",\"mxid\":\"" + bob.userId() + "\"}");
        ObjectNode invite = onBind.putArray("invites").addObject();
        invite.put("medium", "email").put("address", "bob@example.org").put("mxid", bob.userId());
        invite.put("room_id", room).put("sender", alice.userId()).put("token", "invite-token-1");
        invite.set("signed", signed);

        // a forged signature, and then a revoked key, are refused
        ObjectNode forged = onBind.deepCopy();
        ((ObjectNode) forged.path("invites").get(0).path("signed")).put("mxid", carol.userId());
        assertThat(hs.anonymous()
                        .post("/_matrix/federation/v1/3pid/onbind", forged)
                        .status())
                .isEqualTo(403);

        hs.anonymous().put("/_matrix/federation/v1/3pid/onbind", onBind).expect(200);
        JsonNode member = alice.get(rooms + "/state/m.room.member/" + encode(bob.userId()))
                .expect(200)
                .json();
        assertThat(member.path("membership").asText()).isEqualTo("invite");
        assertThat(member.path("third_party_invite").path("display_name").asText())
                .isEqualTo("a...@example.org");
        assertThat(member.path("third_party_invite").path("signed")).isEqualTo(signed);
        bob.join(room).expect(200);

        // the same flow with a key the identity server has revoked makes no invite
        alice.post(rooms + "/invite", inviteBody("dan@example.org")).expect(200);
        TestClient dan = hs.registerUser("dan");
        identity.revokeKeys();
        ObjectNode danBind =
                json("{\"medium\":\"email\",\"address\":\"dan@example.org\",\"mxid\":\"" + dan.userId() + "\"}");
        ObjectNode danInvite = danBind.putArray("invites").addObject();
        danInvite.put("room_id", room).put("sender", alice.userId()).put("mxid", dan.userId());
        danInvite.set(
                "signed", identity.sign(json("{\"mxid\":\"" + dan.userId() + "\",\"token\":\"invite-token-2\"}")));
        TestResponse revoked = hs.anonymous().post("/_matrix/federation/v1/3pid/onbind", danBind);
        assertThat(revoked.status()).isEqualTo(403);
        assertThat(alice.get(rooms + "/state/m.room.member/" + encode(dan.userId()))
                        .status())
                .isEqualTo(404);
    }

    @Test
    void badThirdPartyInvitesAreRefusedBeforeAnyCall() throws Exception {
        TestClient alice = hs.registerUser("alice");
        String room = alice.createRoom(null);
        String invite = V3 + "/rooms/" + encode(room) + "/invite";
        ObjectNode noServer = inviteBody("x@example.org");
        noServer.remove("id_server");
        assertThat(alice.post(invite, noServer).errcode()).isEqualTo("M_MISSING_PARAM");
        ObjectNode noToken = inviteBody("x@example.org");
        noToken.remove("id_access_token");
        assertThat(alice.post(invite, noToken).errcode()).isEqualTo("M_MISSING_PARAM");
        assertThat(alice.post(invite, inviteBody("not-an-address")).errcode()).isEqualTo("M_INVALID_PARAM");
        TestResponse outsider = hs.registerUser("eve").post(invite, inviteBody("x@example.org"));
        assertThat(outsider.status()).isEqualTo(403);
        assertThat(outsider.errcode()).isEqualTo("M_FORBIDDEN");
        ObjectNode createRoom = json("{}");
        createRoom.putArray("invite_3pid").add(inviteBody("not-an-address"));
        assertThat(alice.post(V3 + "/createRoom", createRoom).errcode()).isEqualTo("M_INVALID_PARAM");
        assertThat(identity.storedInvites).isEmpty();

        // createRoom's invite_3pid invites a bound address's user into the new room
        TestClient bob = hs.registerUser("bob");
        identity.bind("email", "bob@example.org", bob.userId());
        ObjectNode withInvite = json("{}");
        withInvite.putArray("invite_3pid").add(inviteBody("bob@example.org"));
        String created = alice.post(V3 + "/createRoom", withInvite)
                .expect(200)
                .json()
                .path("room_id")
                .asText();
        assertThat(alice.get(V3 + "/rooms/" + encode(created) + "/state/m.room.member/" + encode(bob.userId()))
                        .expect(200)
                        .json()
                        .path("membership")
                        .asText())
                .isEqualTo("invite");
    }
}
