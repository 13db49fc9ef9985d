package dev.myelin.server.api.federation;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.myelin.core.event.Pdu;
import dev.myelin.core.id.ServerName;
import dev.myelin.core.id.UserId;
import dev.myelin.testing.HomeserverExtension;
import dev.myelin.testing.OverrideConfig;
import dev.myelin.testing.TestClient;
import dev.myelin.testing.TestHomeserver;
import dev.myelin.testing.TestResponse;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * make_join and send_join of restricted rooms as the resident server: the join names a local user
 * who can invite and is signed by this server; joins it cannot authorise get the spec's errors.
 */
@ExtendWith(HomeserverExtension.class)
@OverrideConfig(key = "trusted_key_servers", value = "[]")
class RestrictedJoinFederationApiTest {
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    private static final ServerName REMOTE = SignedRequests.REMOTE;
    private static final UserId CAROL = UserId.parse("@carol:" + REMOTE);

    private static String restrictedRoom(TestClient creator, String version, String allowed) {
        ObjectNode body = NODES.objectNode().put("room_version", version);
        ObjectNode content = body.putArray("initial_state")
                .addObject()
                .put("type", "m.room.join_rules")
                .put("state_key", "")
                .putObject("content")
                .put("join_rule", "restricted");
        content.putArray("allow").addObject().put("type", "m.room_membership").put("room_id", allowed);
        return creator.createRoom(body);
    }

    private static String sendJoinUri(String room, Pdu event) {
        return "/_matrix/federation/v2/send_join/" + TestClient.encode(room) + "/"
                + TestClient.encode(event.eventId().value());
    }

    private static ObjectNode makeJoin(TestHomeserver hs, String room) {
        return (ObjectNode) SignedRequests.signed(
                        hs, "GET", KnockFederationApiTest.makeUri("join", room, CAROL.toString(), "10"), null)
                .expect(200)
                .json()
                .get("event");
    }

    /** Carol joins {@code room} (a public one) through make_join and send_join. */
    private static void joinPublic(TestHomeserver hs, String room) {
        Pdu join = KnockFederationApiTest.complete(makeJoin(hs, room), "10", CAROL, SignedRequests.remoteKey());
        SignedRequests.signed(hs, "PUT", sendJoinUri(room, join), join.json()).expect(200);
    }

    private static boolean joined(TestClient reader, String room, UserId user) {
        return reader.get("/_matrix/client/v3/rooms/" + TestClient.encode(room) + "/joined_members")
                .expect(200)
                .json()
                .path("joined")
                .has(user.toString());
    }

    @Test
    void aMemberOfAnAllowedRoomJoinsWithALocalAuthoriserAndThisServersSignature(TestHomeserver hs) {
        SignedRequests.trustRemote(hs);
        TestClient alice = hs.registerUser("alice");
        String space = alice.createRoom(NODES.objectNode().put("preset", "public_chat"));
        String room = restrictedRoom(alice, "10", space);
        joinPublic(hs, space);

        ObjectNode template = makeJoin(hs, room);
        assertThat(template.path("content")
                        .path("join_authorised_via_users_server")
                        .asText())
                .isEqualTo(alice.userId());
        Pdu join = KnockFederationApiTest.complete(template, "10", CAROL, SignedRequests.remoteKey());
        JsonNode answer = SignedRequests.signed(hs, "PUT", sendJoinUri(room, join), join.json())
                .expect(200)
                .json();

        JsonNode signed = answer.path("event");
        assertThat(signed.path("signatures").has(hs.serverName()))
                .as(answer.toString())
                .isTrue();
        assertThat(signed.path("signatures").has(REMOTE.toString())).isTrue();
        assertThat(signed.path("content")
                        .path("join_authorised_via_users_server")
                        .asText())
                .isEqualTo(alice.userId());
        assertThat(joined(alice, room, CAROL)).isTrue();
    }

    @Test
    void aUserInNoAllowedRoomIsForbidden(TestHomeserver hs) {
        SignedRequests.trustRemote(hs);
        TestClient alice = hs.registerUser("alice");
        String space = alice.createRoom(NODES.objectNode().put("preset", "public_chat"));
        String room = restrictedRoom(alice, "10", space);

        TestResponse refused = SignedRequests.signed(
                hs, "GET", KnockFederationApiTest.makeUri("join", room, CAROL.toString(), "10"), null);

        assertThat(refused.status()).isEqualTo(403);
        assertThat(refused.errcode()).isEqualTo("M_FORBIDDEN");
    }

    @Test
    void conditionsOnRoomsUnknownHereCannotBeAuthorised(TestHomeserver hs) {
        SignedRequests.trustRemote(hs);
        TestClient alice = hs.registerUser("alice");
        String room = restrictedRoom(alice, "10", "!elsewhere:" + REMOTE);

        TestResponse refused = SignedRequests.signed(
                hs, "GET", KnockFederationApiTest.makeUri("join", room, CAROL.toString(), "10"), null);

        assertThat(refused.status()).isEqualTo(400);
        assertThat(refused.errcode()).isEqualTo("M_UNABLE_TO_AUTHORISE_JOIN");
    }

    @Test
    void withoutALocalUserWhoCanInviteTheJoinCannotBeGranted(TestHomeserver hs) {
        SignedRequests.trustRemote(hs);
        TestClient alice = hs.registerUser("alice");
        String space = alice.createRoom(NODES.objectNode().put("preset", "public_chat"));
        String room = restrictedRoom(alice, "10", space);
        joinPublic(hs, space);
        ObjectNode levels = (ObjectNode)
                alice.get("/_matrix/client/v3/rooms/" + TestClient.encode(room) + "/state/m.room.power_levels/")
                        .expect(200)
                        .json();
        ((ObjectNode) levels.get("users")).put(alice.userId(), 0);
        levels.put("invite", 50);
        alice.put("/_matrix/client/v3/rooms/" + TestClient.encode(room) + "/state/m.room.power_levels/", levels)
                .expect(200);

        TestResponse refused = SignedRequests.signed(
                hs, "GET", KnockFederationApiTest.makeUri("join", room, CAROL.toString(), "10"), null);

        assertThat(refused.status()).isEqualTo(400);
        assertThat(refused.errcode()).isEqualTo("M_UNABLE_TO_GRANT_JOIN");
    }

    @Test
    void joinsNamingNoAuthoriserOrOneWithoutInvitePowerAreRefused(TestHomeserver hs) {
        SignedRequests.trustRemote(hs);
        TestClient alice = hs.registerUser("alice");
        TestClient bob = hs.registerUser("bob");
        String space = alice.createRoom(NODES.objectNode().put("preset", "public_chat"));
        String room = restrictedRoom(alice, "10", space);
        bob.join(space).expect(200);
        bob.join(room).expect(200);
        joinPublic(hs, space);
        ObjectNode template = makeJoin(hs, room);

        ObjectNode withoutAuthoriser = template.deepCopy();
        ((ObjectNode) withoutAuthoriser.get("content")).remove("join_authorised_via_users_server");
        Pdu unauthorised = KnockFederationApiTest.complete(withoutAuthoriser, "10", CAROL, SignedRequests.remoteKey());
        TestResponse noAuthoriser =
                SignedRequests.signed(hs, "PUT", sendJoinUri(room, unauthorised), unauthorised.json());
        assertThat(noAuthoriser.status()).as(noAuthoriser.body()).isEqualTo(403);
        assertThat(noAuthoriser.errcode()).isEqualTo("M_FORBIDDEN");

        // bob is joined but has the default level 0, below the invite level
        ObjectNode byBob = template.deepCopy();
        ((ObjectNode) byBob.get("content")).put("join_authorised_via_users_server", bob.userId());
        Pdu powerless = KnockFederationApiTest.complete(byBob, "10", CAROL, SignedRequests.remoteKey());
        TestResponse noPower = SignedRequests.signed(hs, "PUT", sendJoinUri(room, powerless), powerless.json());
        assertThat(noPower.status()).as(noPower.body()).isEqualTo(403);
        assertThat(noPower.errcode()).isEqualTo("M_FORBIDDEN");

        // an authoriser of another server whose signature the join lacks
        ObjectNode byOther = template.deepCopy();
        ((ObjectNode) byOther.get("content")).put("join_authorised_via_users_server", "@eve:127.0.0.1:2");
        Pdu unsignedByOther = KnockFederationApiTest.complete(byOther, "10", CAROL, SignedRequests.remoteKey());
        TestResponse notSigned =
                SignedRequests.signed(hs, "PUT", sendJoinUri(room, unsignedByOther), unsignedByOther.json());
        assertThat(notSigned.status()).as(notSigned.body()).isEqualTo(400);
        assertThat(notSigned.errcode()).isEqualTo("M_BAD_JSON");

        assertThat(joined(alice, room, CAROL)).isFalse();
    }
}
