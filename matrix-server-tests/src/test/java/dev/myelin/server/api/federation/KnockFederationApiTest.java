package dev.myelin.server.api.federation;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.myelin.core.crypto.SigningKey;
import dev.myelin.core.event.Pdu;
import dev.myelin.core.event.PduBuilder;
import dev.myelin.core.id.EventId;
import dev.myelin.core.id.RoomId;
import dev.myelin.core.id.ServerName;
import dev.myelin.core.id.UserId;
import dev.myelin.core.room.RoomVersions;
import dev.myelin.testing.HomeserverExtension;
import dev.myelin.testing.OverrideConfig;
import dev.myelin.testing.TestClient;
import dev.myelin.testing.TestHomeserver;
import dev.myelin.testing.TestResponse;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** make_knock and send_knock as the resident server, with bad input. */
@ExtendWith(HomeserverExtension.class)
@OverrideConfig(key = "trusted_key_servers", value = "[]")
class KnockFederationApiTest {
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    private static final ServerName REMOTE = SignedRequests.REMOTE;
    private static final UserId CAROL = UserId.parse("@carol:" + REMOTE);

    static String room(TestClient creator, String version, String rule) {
        ObjectNode body = NODES.objectNode().put("room_version", version).put("name", "Knock here");
        body.putArray("initial_state")
                .addObject()
                .put("type", "m.room.join_rules")
                .put("state_key", "")
                .putObject("content")
                .put("join_rule", rule);
        return creator.createRoom(body);
    }

    static String makeUri(String kind, String room, String user, String... versions) {
        StringBuilder uri = new StringBuilder(
                "/_matrix/federation/v1/make_" + kind + "/" + TestClient.encode(room) + "/" + TestClient.encode(user));
        char sep = '?';
        for (String v : versions) {
            uri.append(sep).append("ver=").append(v);
            sep = '&';
        }
        return uri.toString();
    }

    static String sendKnockUri(String room, Pdu event) {
        return "/_matrix/federation/v1/send_knock/" + TestClient.encode(room) + "/"
                + TestClient.encode(event.eventId().value());
    }

    /** The remote server's completion of a template: {@code user}'s event, signed by {@code key}. */
    static Pdu complete(ObjectNode template, String roomVersion, UserId user, SigningKey key) {
        return complete(template, roomVersion, user, REMOTE, key);
    }

    /** As {@link #complete(ObjectNode, String, UserId, SigningKey)}, signed as {@code server}. */
    static Pdu complete(ObjectNode template, String roomVersion, UserId user, ServerName server, SigningKey key) {
        List<EventId> prevs = new ArrayList<>();
        template.path("prev_events").forEach(e -> prevs.add(EventId.parse(e.asText())));
        List<EventId> auths = new ArrayList<>();
        template.path("auth_events").forEach(e -> auths.add(EventId.parse(e.asText())));
        return PduBuilder.forVersion(RoomVersions.find(roomVersion).orElseThrow())
                .roomId(RoomId.parse(template.path("room_id").asText()))
                .sender(user)
                .type("m.room.member")
                .stateKey(user.toString())
                .content((ObjectNode) template.get("content"))
                .prevEvents(prevs)
                .authEvents(auths)
                .depth(template.path("depth").asLong())
                .originServerTs(template.path("origin_server_ts").asLong())
                .build(server, key);
    }

    private static String membership(TestClient reader, String room, UserId user) {
        TestResponse response = reader.get("/_matrix/client/v3/rooms/" + TestClient.encode(room)
                + "/state/m.room.member/" + TestClient.encode(user.toString()));
        return response.status() == 404
                ? ""
                : response.json().path("membership").asText();
    }

    @Test
    void aRemoteUserKnocksThroughMakeKnockAndSendKnockAndGetsTheStrippedState(TestHomeserver hs) {
        SignedRequests.trustRemote(hs);
        TestClient alice = hs.registerUser("alice");
        String room = room(alice, "10", "knock");

        ObjectNode made = (ObjectNode)
                SignedRequests.signed(hs, "GET", makeUri("knock", room, CAROL.toString(), "7", "10", "11"), null)
                        .expect(200)
                        .json();
        assertThat(made.path("room_version").asText()).isEqualTo("10");
        ObjectNode template = (ObjectNode) made.get("event");
        assertThat(template.path("content").path("membership").asText()).isEqualTo("knock");
        assertThat(template.path("state_key").asText()).isEqualTo(CAROL.toString());
        assertThat(template.has("signatures")).isFalse();
        Pdu knock = complete(template, "10", CAROL, SignedRequests.remoteKey());

        JsonNode answer = SignedRequests.signed(hs, "PUT", sendKnockUri(room, knock), knock.json())
                .expect(200)
                .json();

        List<String> types = new ArrayList<>();
        answer.path("knock_room_state").forEach(e -> {
            types.add(e.path("type").asText());
            assertThat(e.has("content") && e.has("sender") && e.has("state_key"))
                    .isTrue();
        });
        assertThat(types).contains("m.room.create", "m.room.join_rules", "m.room.name");
        assertThat(membership(alice, room, CAROL)).isEqualTo("knock");
        // sent again: the same answer, nothing added
        SignedRequests.signed(hs, "PUT", sendKnockUri(room, knock), knock.json())
                .expect(200);
        // the knock is answered by an invite, which goes to the knocker's server
        TestResponse invited = alice.invite(room, CAROL.toString());
        assertThat(invited.status())
                .as("the invite is allowed by the auth rules; only carol's server is away")
                .isNotEqualTo(403);
    }

    @Test
    void badMakeKnocksGetMatrixErrors(TestHomeserver hs) {
        SignedRequests.trustRemote(hs);
        TestClient alice = hs.registerUser("alice");
        String knockRoom = room(alice, "10", "knock");
        String publicRoom = room(alice, "10", "public");
        String oldRoom = room(alice, "6", "knock");

        TestResponse notItsUser =
                SignedRequests.signed(hs, "GET", makeUri("knock", knockRoom, alice.userId(), "10"), null);
        assertThat(notItsUser.status()).isEqualTo(403);
        assertThat(notItsUser.errcode()).isEqualTo("M_FORBIDDEN");

        TestResponse wrongVersions =
                SignedRequests.signed(hs, "GET", makeUri("knock", knockRoom, CAROL.toString(), "7", "8"), null);
        assertThat(wrongVersions.status()).isEqualTo(400);
        assertThat(wrongVersions.errcode()).isEqualTo("M_INCOMPATIBLE_ROOM_VERSION");
        assertThat(wrongVersions.json().path("room_version").asText()).isEqualTo("10");
        TestResponse noVer = SignedRequests.signed(hs, "GET", makeUri("knock", knockRoom, CAROL.toString()), null);
        assertThat(noVer.errcode()).isEqualTo("M_INCOMPATIBLE_ROOM_VERSION");

        TestResponse notKnockable =
                SignedRequests.signed(hs, "GET", makeUri("knock", publicRoom, CAROL.toString(), "10"), null);
        assertThat(notKnockable.status()).isEqualTo(403);
        assertThat(notKnockable.errcode()).isEqualTo("M_FORBIDDEN");

        TestResponse oldVersion =
                SignedRequests.signed(hs, "GET", makeUri("knock", oldRoom, CAROL.toString(), "6"), null);
        assertThat(oldVersion.status()).isEqualTo(403);
        assertThat(oldVersion.json().path("error").asText()).contains("does not support knocking");

        TestResponse unknown = SignedRequests.signed(
                hs, "GET", makeUri("knock", "!nowhere:" + hs.serverName(), CAROL.toString(), "10"), null);
        assertThat(unknown.status()).isEqualTo(404);
        assertThat(unknown.errcode()).isEqualTo("M_NOT_FOUND");

        TestResponse badRoomId =
                SignedRequests.signed(hs, "GET", makeUri("knock", "nope", CAROL.toString(), "10"), null);
        assertThat(badRoomId.status()).isEqualTo(400);

        TestResponse unsigned = hs.request("GET", makeUri("knock", knockRoom, CAROL.toString(), "10"), null, List.of());
        assertThat(unsigned.status()).isEqualTo(401);
    }

    @Test
    void aBannedUserCannotKnock(TestHomeserver hs) {
        SignedRequests.trustRemote(hs);
        TestClient alice = hs.registerUser("alice");
        String room = room(alice, "10", "knock");
        alice.post(
                        "/_matrix/client/v3/rooms/" + TestClient.encode(room) + "/ban",
                        NODES.objectNode().put("user_id", CAROL.toString()))
                .expect(200);

        TestResponse refused = SignedRequests.signed(hs, "GET", makeUri("knock", room, CAROL.toString(), "10"), null);

        assertThat(refused.status()).isEqualTo(403);
        assertThat(refused.errcode()).isEqualTo("M_FORBIDDEN");
    }

    @Test
    void badSendKnocksGetInvalidParamAndChangeNothing(TestHomeserver hs) {
        SignedRequests.trustRemote(hs);
        TestClient alice = hs.registerUser("alice");
        String room = room(alice, "10", "knock");
        ObjectNode template =
                (ObjectNode) SignedRequests.signed(hs, "GET", makeUri("knock", room, CAROL.toString(), "10"), null)
                        .expect(200)
                        .json()
                        .get("event");

        // signed with a key that is not the remote server's
        Pdu forged = complete(template, "10", CAROL, SigningKey.generate("r1"));
        TestResponse badSignature = SignedRequests.signed(hs, "PUT", sendKnockUri(room, forged), forged.json());
        assertThat(badSignature.status()).as(badSignature.body()).isEqualTo(400);
        assertThat(badSignature.errcode()).isEqualTo("M_INVALID_PARAM");

        // a join sent as a knock
        ObjectNode joinContent = template.deepCopy();
        ((ObjectNode) joinContent.get("content")).put("membership", "join");
        Pdu join = complete(joinContent, "10", CAROL, SignedRequests.remoteKey());
        TestResponse notAKnock = SignedRequests.signed(hs, "PUT", sendKnockUri(room, join), join.json());
        assertThat(notAKnock.status()).isEqualTo(400);
        assertThat(notAKnock.errcode()).isEqualTo("M_INVALID_PARAM");

        // a knock of another server's user, sent by this remote server
        // an IP literal nothing listens on: its keys cannot be had, at once
        UserId dave = UserId.parse("@dave:127.0.0.1:2");
        ObjectNode daves = template.deepCopy().put("sender", dave.toString()).put("state_key", dave.toString());
        Pdu notItsUser = complete(daves, "10", dave, dave.server(), SigningKey.generate("d1"));
        TestResponse wrongSender = SignedRequests.signed(hs, "PUT", sendKnockUri(room, notItsUser), notItsUser.json());
        assertThat(wrongSender.status()).isEqualTo(400);
        assertThat(wrongSender.errcode()).isEqualTo("M_INVALID_PARAM");

        Pdu knock = complete(template, "10", CAROL, SignedRequests.remoteKey());
        TestResponse wrongPath = SignedRequests.signed(
                hs,
                "PUT",
                "/_matrix/federation/v1/send_knock/" + TestClient.encode(room) + "/" + TestClient.encode("$other"),
                knock.json());
        assertThat(wrongPath.status()).isEqualTo(400);
        assertThat(wrongPath.errcode()).isEqualTo("M_INVALID_PARAM");

        TestResponse garbage = SignedRequests.signed(hs, "PUT", sendKnockUri(room, knock), NODES.objectNode());
        assertThat(garbage.status()).isEqualTo(400);

        assertThat(membership(alice, room, CAROL)).isEmpty();
        assertThat(membership(alice, room, dave)).isEmpty();
    }

    @Test
    void aKnockOnARoomWhoseRuleChangedSinceMakeKnockIsRefused(TestHomeserver hs) {
        SignedRequests.trustRemote(hs);
        TestClient alice = hs.registerUser("alice");
        String room = room(alice, "10", "knock");
        ObjectNode template =
                (ObjectNode) SignedRequests.signed(hs, "GET", makeUri("knock", room, CAROL.toString(), "10"), null)
                        .expect(200)
                        .json()
                        .get("event");
        Pdu knock = complete(template, "10", CAROL, SignedRequests.remoteKey());
        alice.sendState(room, "m.room.join_rules", "", NODES.objectNode().put("join_rule", "invite"));

        TestResponse refused = SignedRequests.signed(hs, "PUT", sendKnockUri(room, knock), knock.json());

        assertThat(refused.status()).isEqualTo(403);
        assertThat(refused.errcode()).isEqualTo("M_FORBIDDEN");
        assertThat(membership(alice, room, CAROL)).isEmpty();
    }
}
