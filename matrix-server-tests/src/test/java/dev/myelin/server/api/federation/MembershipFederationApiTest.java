package dev.myelin.server.api.federation;

import static org.assertj.core.api.Assertions.assertThat;

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

/** make_join, send_join, make_leave and send_leave as the resident server, with bad input. */
@ExtendWith(HomeserverExtension.class)
@OverrideConfig(key = "trusted_key_servers", value = "[]")
class MembershipFederationApiTest {
    private static final ServerName REMOTE = SignedRequests.REMOTE;
    private static final SigningKey REMOTE_KEY = SignedRequests.remoteKey();
    private static final UserId CAROL = UserId.parse("@carol:" + REMOTE);

    private static void trustRemote(TestHomeserver hs) {
        SignedRequests.trustRemote(hs);
    }

    private static TestResponse signed(TestHomeserver hs, String method, String uri, ObjectNode body) {
        return SignedRequests.signed(hs, method, uri, body);
    }

    private static String makeJoinUri(String room, String user, String... versions) {
        StringBuilder uri = new StringBuilder(
                "/_matrix/federation/v1/make_join/" + TestClient.encode(room) + "/" + TestClient.encode(user));
        char sep = '?';
        for (String v : versions) {
            uri.append(sep).append("ver=").append(v);
            sep = '&';
        }
        return uri.toString();
    }

    private static String publicRoom(TestClient alice) {
        return alice.createRoom(JsonNodeFactory.instance.objectNode().put("preset", "public_chat"));
    }

    /** The remote server's completion of a template: its user's event, signed by it. */
    private static Pdu complete(ObjectNode template, String roomVersion) {
        List<EventId> prevs = new ArrayList<>();
        template.path("prev_events").forEach(e -> prevs.add(EventId.parse(e.asText())));
        List<EventId> auths = new ArrayList<>();
        template.path("auth_events").forEach(e -> auths.add(EventId.parse(e.asText())));
        return PduBuilder.forVersion(RoomVersions.find(roomVersion).orElseThrow())
                .roomId(RoomId.parse(template.path("room_id").asText()))
                .sender(CAROL)
                .type("m.room.member")
                .stateKey(CAROL.toString())
                .content((ObjectNode) template.get("content"))
                .prevEvents(prevs)
                .authEvents(auths)
                .depth(template.path("depth").asLong())
                .originServerTs(template.path("origin_server_ts").asLong())
                .build(REMOTE, REMOTE_KEY);
    }

    @Test
    void aRemoteUserJoinsThroughMakeJoinAndSendJoinThenLeaves(TestHomeserver hs) {
        trustRemote(hs);
        TestClient alice = hs.registerUser("alice");
        String room = publicRoom(alice);

        ObjectNode made = (ObjectNode) signed(hs, "GET", makeJoinUri(room, CAROL.toString(), "9", "10", "11"), null)
                .expect(200)
                .json();
        assertThat(made.path("room_version").asText()).isEqualTo("10");
        ObjectNode template = (ObjectNode) made.get("event");
        assertThat(template.has("signatures")).isFalse();
        assertThat(template.path("content").path("membership").asText()).isEqualTo("join");

        Pdu join = complete(template, "10");
        String sendJoin = "/_matrix/federation/v2/send_join/" + TestClient.encode(room) + "/"
                + TestClient.encode(join.eventId().value());
        ObjectNode answer = (ObjectNode)
                signed(hs, "PUT", sendJoin, join.json()).expect(200).json();
        List<String> stateTypes = new ArrayList<>();
        answer.path("state").forEach(e -> stateTypes.add(e.path("type").asText()));
        assertThat(stateTypes).contains("m.room.create", "m.room.power_levels", "m.room.join_rules");
        assertThat(answer.path("auth_chain").isArray()).isTrue();
        assertThat(answer.path("origin").asText()).isEqualTo(hs.serverName());
        assertThat(alice.get("/_matrix/client/v3/rooms/" + TestClient.encode(room) + "/joined_members")
                        .expect(200)
                        .json()
                        .path("joined")
                        .has(CAROL.toString()))
                .isTrue();
        // sent again: the same answer, nothing added
        signed(hs, "PUT", sendJoin, join.json()).expect(200);

        ObjectNode leaveMade = (ObjectNode) signed(
                        hs,
                        "GET",
                        "/_matrix/federation/v1/make_leave/" + TestClient.encode(room) + "/"
                                + TestClient.encode(CAROL.toString()),
                        null)
                .expect(200)
                .json();
        Pdu leave = complete(
                (ObjectNode) leaveMade.get("event"),
                leaveMade.path("room_version").asText());
        signed(
                        hs,
                        "PUT",
                        "/_matrix/federation/v2/send_leave/" + TestClient.encode(room) + "/"
                                + TestClient.encode(leave.eventId().value()),
                        leave.json())
                .expect(200);
        assertThat(alice.get("/_matrix/client/v3/rooms/" + TestClient.encode(room) + "/joined_members")
                        .expect(200)
                        .json()
                        .path("joined")
                        .has(CAROL.toString()))
                .isFalse();
    }

    @Test
    void aJoinWhoseContentWasChangedAfterSigningIsKeptRedacted(TestHomeserver hs) {
        trustRemote(hs);
        TestClient alice = hs.registerUser("alice");
        String room = publicRoom(alice);
        ObjectNode template = (ObjectNode) signed(hs, "GET", makeJoinUri(room, CAROL.toString(), "10"), null)
                .expect(200)
                .json()
                .get("event");
        Pdu join = complete(template, "10");
        ObjectNode tampered = join.json().deepCopy();
        ((ObjectNode) tampered.get("content")).put("displayname", "changed after signing");

        signed(
                        hs,
                        "PUT",
                        "/_matrix/federation/v2/send_join/" + TestClient.encode(room) + "/"
                                + TestClient.encode(join.eventId().value()),
                        tampered)
                .expect(200);

        ObjectNode member = (ObjectNode) alice.get("/_matrix/client/v3/rooms/" + TestClient.encode(room)
                        + "/state/m.room.member/" + TestClient.encode(CAROL.toString()))
                .expect(200)
                .json();
        assertThat(member.path("membership").asText()).isEqualTo("join");
        assertThat(member.has("displayname"))
                .as("the content hash did not match: redacted")
                .isFalse();
    }

    @Test
    void aServerTheRoomsAclDeniesCannotJoin(TestHomeserver hs) {
        trustRemote(hs);
        TestClient alice = hs.registerUser("alice");
        String room = publicRoom(alice);
        alice.put(
                        "/_matrix/client/v3/rooms/" + TestClient.encode(room) + "/state/m.room.server_acl/",
                        JsonNodeFactory.instance
                                .objectNode()
                                .put("allow_ip_literals", false)
                                .set(
                                        "allow",
                                        JsonNodeFactory.instance.arrayNode().add("*")))
                .expect(200);

        TestResponse denied = signed(hs, "GET", makeJoinUri(room, CAROL.toString(), "10"), null);

        assertThat(denied.status()).isEqualTo(403);
        assertThat(denied.errcode()).isEqualTo("M_FORBIDDEN");
    }

    @Test
    void badMakeJoinsGetMatrixErrors(TestHomeserver hs) {
        trustRemote(hs);
        TestClient alice = hs.registerUser("alice");
        String room = publicRoom(alice);

        TestResponse otherServersUser = signed(hs, "GET", makeJoinUri(room, "@dave:elsewhere.test", "10"), null);
        assertThat(otherServersUser.status()).isEqualTo(403);
        assertThat(otherServersUser.errcode()).isEqualTo("M_FORBIDDEN");

        TestResponse unknown =
                signed(hs, "GET", makeJoinUri("!unknown:" + hs.serverName(), CAROL.toString(), "10"), null);
        assertThat(unknown.status()).isEqualTo(404);

        TestResponse oldOnly = signed(hs, "GET", makeJoinUri(room, CAROL.toString(), "1", "2"), null);
        assertThat(oldOnly.status()).isEqualTo(400);
        assertThat(oldOnly.errcode()).isEqualTo("M_INCOMPATIBLE_ROOM_VERSION");
        assertThat(oldOnly.json().path("room_version").asText()).isEqualTo("10");

        TestResponse noVer = signed(hs, "GET", makeJoinUri(room, CAROL.toString()), null);
        assertThat(noVer.errcode()).as("no ver means version 1 only").isEqualTo("M_INCOMPATIBLE_ROOM_VERSION");

        TestResponse badRoom = signed(hs, "GET", makeJoinUri("not-a-room", CAROL.toString(), "10"), null);
        assertThat(badRoom.status()).isEqualTo(400);

        String invite = alice.createRoom(JsonNodeFactory.instance.objectNode().put("preset", "private_chat"));
        TestResponse notAllowed = signed(hs, "GET", makeJoinUri(invite, CAROL.toString(), "10"), null);
        assertThat(notAllowed.status()).isEqualTo(403);
    }

    @Test
    void badSendJoinsGetMatrixErrorsAndChangeNothing(TestHomeserver hs) {
        trustRemote(hs);
        TestClient alice = hs.registerUser("alice");
        String room = publicRoom(alice);
        ObjectNode template = (ObjectNode) signed(hs, "GET", makeJoinUri(room, CAROL.toString(), "10"), null)
                .expect(200)
                .json()
                .get("event");
        Pdu join = complete(template, "10");
        String base = "/_matrix/federation/v2/send_join/" + TestClient.encode(room) + "/";

        TestResponse wrongId = signed(hs, "PUT", base + TestClient.encode("$other"), join.json());
        assertThat(wrongId.status()).isEqualTo(400);

        ObjectNode forged = join.json().deepCopy();
        forged.put("origin_server_ts", join.originServerTs() + 1);
        TestResponse badSignature =
                signed(hs, "PUT", base + TestClient.encode(join.eventId().value()), forged);
        assertThat(badSignature.status()).as(badSignature.json().toString()).isEqualTo(403);
        assertThat(badSignature.errcode()).isEqualTo("M_FORBIDDEN");

        TestResponse garbage = signed(
                hs, "PUT", base + TestClient.encode(join.eventId().value()), JsonNodeFactory.instance.objectNode());
        assertThat(garbage.status()).isEqualTo(400);

        assertThat(alice.get("/_matrix/client/v3/rooms/" + TestClient.encode(room) + "/joined_members")
                        .expect(200)
                        .json()
                        .path("joined")
                        .has(CAROL.toString()))
                .isFalse();
    }
}
