package dev.myelin.server.api.federation;

import static dev.myelin.server.api.federation.RoomReadsFixture.BOB;
import static dev.myelin.server.api.federation.RoomReadsFixture.NODES;
import static dev.myelin.server.api.federation.RoomReadsFixture.REMOTE;
import static dev.myelin.server.api.federation.RoomReadsFixture.REMOTE_KEY;
import static dev.myelin.server.api.federation.RoomReadsFixture.expectError;
import static dev.myelin.server.api.federation.RoomReadsFixture.remoteJoins;
import static dev.myelin.server.api.federation.RoomReadsFixture.trustRemote;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.myelin.core.crypto.SigningKey;
import dev.myelin.core.event.ClientEvent;
import dev.myelin.core.event.Pdu;
import dev.myelin.core.event.PduBuilder;
import dev.myelin.core.id.EventId;
import dev.myelin.core.id.RoomId;
import dev.myelin.core.id.UserId;
import dev.myelin.storage.event.StoredEvent;
import dev.myelin.testing.HomeserverExtension;
import dev.myelin.testing.OverrideConfig;
import dev.myelin.testing.TestClient;
import dev.myelin.testing.TestHomeserver;
import dev.myelin.testing.TestResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Events another server sends that must not be taken as they are: invalid JSON in room versions
 * with strict canonical JSON (a float), signed into a request that must still authenticate;
 * redactions reaching into another room or from a server that may not redact; invites from a
 * server the room's ACL denies.
 */
@ExtendWith(HomeserverExtension.class)
@OverrideConfig(key = "trusted_key_servers", value = "[]")
// many requests from one server in one instant of the fake clock: none may wait for it to move
@OverrideConfig(key = "rc_federation", value = "{sleep_limit: 1000, reject_limit: 1000}")
class InboundPduChecksApiTest {
    private record Room(RoomId id, Pdu bobJoin) {}

    private static Room roomWithBob(TestClient alice, TestHomeserver hs, String version) {
        ObjectNode body = NODES.objectNode().put("preset", "public_chat").put("room_version", version);
        String room = alice.createRoom(body);
        StoredEvent join = remoteJoins(hs, room);
        return new Room(RoomId.parse(room), join.pdu());
    }

    private static EventId stateId(TestHomeserver hs, RoomId room, String type, String key) {
        return hs.homeserver()
                .testSeam()
                .stateEvent(room, type, key)
                .orElseThrow()
                .eventId();
    }

    /** An event of {@code BOB}'s after {@code prev}, signed by the remote server. */
    private static Pdu bobSends(TestHomeserver hs, RoomId room, Pdu prev, String type, Consumer<PduBuilder> more) {
        List<EventId> auth = new ArrayList<>(List.of(
                stateId(hs, room, "m.room.create", ""),
                stateId(hs, room, "m.room.power_levels", ""),
                stateId(hs, room, "m.room.member", BOB.toString())));
        PduBuilder builder = PduBuilder.forVersion(prev.version())
                .roomId(room)
                .sender(BOB)
                .type(type)
                .content(NODES.objectNode().put("body", "from bob").put("msgtype", "m.text"))
                .prevEvents(List.of(prev.eventId()))
                .authEvents(auth)
                .depth(prev.depth() + 1)
                .originServerTs(hs.time().nowMillis());
        more.accept(builder);
        return builder.build(REMOTE, REMOTE_KEY);
    }

    private static TestResponse transaction(TestHomeserver hs, String txnId, ObjectNode... pdus) {
        ObjectNode body = NODES.objectNode().put("origin", REMOTE.toString()).put("origin_server_ts", 1L);
        body.putArray("pdus").addAll(List.of(pdus));
        return SignedRequests.signedAsSent(hs, "PUT", "/_matrix/federation/v1/send/" + txnId, body);
    }

    private static ObjectNode withFloat(Pdu event) {
        ObjectNode json = ClientEvent.toFederationFormat(event);
        ((ObjectNode) json.get("content")).put("bad_val", 1.1);
        return json;
    }

    private static Optional<StoredEvent> stored(TestHomeserver hs, EventId id) {
        return hs.homeserver().testSeam().event(id);
    }

    private static JsonNode asAlice(TestClient alice, RoomId room, EventId event) {
        return alice.get("/_matrix/client/v3/rooms/" + TestClient.encode(room.value()) + "/event/"
                        + TestClient.encode(event.value()))
                .expect(200)
                .json();
    }

    @Test
    void aTransactionDropsAnEventWithAFloatInRoomVersion6AndKeepsTheOthers(TestHomeserver hs) {
        trustRemote(hs);
        TestClient alice = hs.registerUser("alice");
        Room room = roomWithBob(alice, hs, "6");
        Pdu good = bobSends(hs, room.id(), room.bobJoin(), "m.room.message", b -> {});
        Pdu bad = bobSends(hs, room.id(), good, "m.room.message", b -> {});

        TestResponse answer = transaction(hs, "t1", ClientEvent.toFederationFormat(good), withFloat(bad));

        // the request authenticates over the body as sent; the invalid event is left out of the answer
        assertThat(answer.status()).as(answer.body()).isEqualTo(200);
        assertThat(answer.json().path("pdus").properties())
                .extracting(java.util.Map.Entry::getKey)
                .containsExactly(good.eventId().value());
        assertThat(stored(hs, good.eventId())).isPresent();
        assertThat(asAlice(alice, room.id(), good.eventId())
                        .path("content")
                        .path("body")
                        .asText())
                .isEqualTo("from bob");
    }

    @Test
    void sendJoinAndSendLeaveWithAFloatAre400BadJsonWhateverThePathSays(TestHomeserver hs) {
        trustRemote(hs);
        TestClient alice = hs.registerUser("alice");
        Room room = roomWithBob(alice, hs, "6");
        Pdu leave = bobSends(
                hs,
                room.id(),
                room.bobJoin(),
                "m.room.member",
                b -> b.stateKey(BOB.toString()).content(NODES.objectNode().put("membership", "leave")));
        UserId carol = UserId.parse("@carol:" + REMOTE);
        Pdu join = PduBuilder.forVersion(leave.version())
                .roomId(room.id())
                .sender(carol)
                .type("m.room.member")
                .stateKey(carol.toString())
                .content(NODES.objectNode().put("membership", "join"))
                .prevEvents(List.of(room.bobJoin().eventId()))
                .authEvents(List.of(
                        stateId(hs, room.id(), "m.room.create", ""),
                        stateId(hs, room.id(), "m.room.power_levels", ""),
                        stateId(hs, room.id(), "m.room.join_rules", "")))
                .depth(room.bobJoin().depth() + 1)
                .originServerTs(hs.time().nowMillis())
                .build(REMOTE, REMOTE_KEY);

        String joinPath = "/_matrix/federation/v2/send_join/" + room.id() + "/" + join.eventId();
        expectError(SignedRequests.signedAsSent(hs, "PUT", joinPath, withFloat(join)), 400, "M_BAD_JSON");
        String leavePath = "/_matrix/federation/v2/send_leave/" + room.id() + "/xxx";
        expectError(SignedRequests.signedAsSent(hs, "PUT", leavePath, withFloat(leave)), 400, "M_BAD_JSON");
        // the path's id still has to be the event's
        expectError(
                SignedRequests.signedAsSent(hs, "PUT", leavePath, ClientEvent.toFederationFormat(leave)),
                400,
                "M_BAD_JSON");

        assertThat(stored(hs, join.eventId())).isEmpty();
        assertThat(stored(hs, leave.eventId())).isEmpty();
    }

    @Test
    void anInviteWithAFloatIs400AndOneFromAServerTheAclDeniesIs403(TestHomeserver hs) {
        trustRemote(hs);
        TestClient alice = hs.registerUser("alice");
        TestClient dave = hs.registerUser("dave");
        Room room = roomWithBob(alice, hs, "6");
        Pdu invite = bobSends(
                hs,
                room.id(),
                room.bobJoin(),
                "m.room.member",
                b -> b.stateKey(dave.userId()).content(NODES.objectNode().put("membership", "invite")));
        String path = "/_matrix/federation/v2/invite/" + room.id() + "/" + invite.eventId();
        ObjectNode body = NODES.objectNode().put("room_version", "6");

        body.set("event", withFloat(invite));
        expectError(SignedRequests.signedAsSent(hs, "PUT", path, body), 400, "M_BAD_JSON");

        ObjectNode acl = NODES.objectNode();
        acl.putArray("allow").add("*");
        acl.putArray("deny").add(REMOTE.host());
        alice.sendState(room.id().value(), "m.room.server_acl", "", acl);
        body.set("event", ClientEvent.toFederationFormat(invite));
        TestResponse banned = SignedRequests.signedAsSent(hs, "PUT", path, body);
        expectError(banned, 403, "M_FORBIDDEN");
        assertThat(banned.json().path("error").asText()).isEqualTo("Server is banned from room");
        assertThat(stored(hs, invite.eventId())).isEmpty();
    }

    @Test
    void aRedactionOfAnEventOfAnotherRoomIsRejected(TestHomeserver hs) {
        trustRemote(hs);
        TestClient alice = hs.registerUser("alice");
        Room first = roomWithBob(alice, hs, "10");
        Room second = roomWithBob(alice, hs, "10");
        EventId message = new EventId(alice.sendMessage(first.id().value(), "keep me"));
        Pdu redaction = bobSends(
                hs,
                second.id(),
                second.bobJoin(),
                "m.room.redaction",
                b -> b.redacts(message).content(NODES.objectNode()));

        transaction(hs, "t2", ClientEvent.toFederationFormat(redaction)).expect(200);

        assertThat(stored(hs, redaction.eventId()).orElseThrow().rejectionReason())
                .hasValueSatisfying(reason -> assertThat(reason).contains("another room"));
        assertThat(asAlice(alice, first.id(), message)
                        .path("content")
                        .path("body")
                        .asText())
                .isEqualTo("keep me");
    }

    @Test
    void fromRoomVersion3ARedactionFromAnotherServerWithoutTheRedactLevelIsKeptButNotApplied(TestHomeserver hs) {
        trustRemote(hs);
        TestClient alice = hs.registerUser("alice");
        Room room = roomWithBob(alice, hs, "5");
        EventId alices = new EventId(alice.sendMessage(room.id().value(), "alice's"));
        Pdu bobs = bobSends(hs, room.id(), stored(hs, alices).orElseThrow().pdu(), "m.room.message", b -> {});
        Pdu fake = bobSends(
                hs, room.id(), bobs, "m.room.redaction", b -> b.redacts(alices).content(NODES.objectNode()));
        Pdu own = bobSends(
                hs,
                room.id(),
                fake,
                "m.room.redaction",
                b -> b.redacts(bobs.eventId()).content(NODES.objectNode()));

        transaction(
                        hs,
                        "t3",
                        ClientEvent.toFederationFormat(bobs),
                        ClientEvent.toFederationFormat(fake),
                        ClientEvent.toFederationFormat(own))
                .expect(200);

        // the redaction is an accepted event of the room, but alice's message stays whole
        assertThat(stored(hs, fake.eventId()).orElseThrow().rejectionReason()).isEmpty();
        JsonNode kept = asAlice(alice, room.id(), alices);
        assertThat(kept.path("content").path("body").asText()).isEqualTo("alice's");
        assertThat(kept.path("unsigned").has("redacted_by")).isFalse();
        // bob's server may redact bob's own event
        JsonNode redacted = asAlice(alice, room.id(), bobs.eventId());
        assertThat(redacted.path("content").size()).isZero();
        assertThat(redacted.path("unsigned").path("redacted_by").asText())
                .isEqualTo(own.eventId().value());
    }

    @Test
    void eventsFailingTheirChecksAreDroppedRejectedOrRedactedAndTheOthersKept(TestHomeserver hs) {
        trustRemote(hs);
        TestClient alice = hs.registerUser("alice");
        Room room = roomWithBob(alice, hs, "10");
        Room other = roomWithBob(alice, hs, "10");
        Pdu good = bobSends(hs, room.id(), room.bobJoin(), "m.room.message", b -> {});
        // over 65536 bytes (grown after signing: the size is checked first)
        Pdu huge = bobSends(
                hs,
                room.id(),
                good,
                "m.room.message",
                b -> b.content(NODES.objectNode().put("body", "huge")));
        ObjectNode hugeJson = ClientEvent.toFederationFormat(huge);
        ((ObjectNode) hugeJson.get("content")).put("body", "x".repeat(70_000));
        // signed with a key that is not the remote server's
        Pdu forged = PduBuilder.forVersion(good.version())
                .roomId(room.id())
                .sender(BOB)
                .type("m.room.message")
                .content(NODES.objectNode().put("body", "forged"))
                .prevEvents(List.of(good.eventId()))
                .authEvents(good.authEventIds())
                .depth(good.depth() + 1)
                .originServerTs(hs.time().nowMillis())
                .build(REMOTE, SigningKey.generate(REMOTE_KEY.keyId().version()));
        // its content changed after signing: kept in its redacted form
        Pdu changed = bobSends(
                hs,
                room.id(),
                good,
                "m.room.message",
                b -> b.content(NODES.objectNode().put("body", "as signed")));
        ObjectNode changedJson = ClientEvent.toFederationFormat(changed);
        ((ObjectNode) changedJson.get("content")).put("body", "changed");
        // citing the auth events of another room
        Pdu foreignAuth = bobSends(
                hs,
                room.id(),
                good,
                "m.room.message",
                b -> b.authEvents(List.of(
                        stateId(hs, other.id(), "m.room.create", ""),
                        stateId(hs, other.id(), "m.room.power_levels", ""),
                        stateId(hs, other.id(), "m.room.member", BOB.toString()))));

        TestResponse answer = transaction(
                hs,
                "t4",
                ClientEvent.toFederationFormat(good),
                hugeJson,
                ClientEvent.toFederationFormat(forged),
                changedJson,
                ClientEvent.toFederationFormat(foreignAuth));

        assertThat(answer.status()).as(answer.body()).isEqualTo(200);
        assertThat(stored(hs, good.eventId())).isPresent();
        assertThat(stored(hs, huge.eventId())).isEmpty();
        assertThat(stored(hs, forged.eventId())).isEmpty();
        assertThat(stored(hs, changed.eventId()).orElseThrow().pdu().content().has("body"))
                .isFalse();
        assertThat(stored(hs, foreignAuth.eventId()).orElseThrow().rejectionReason())
                .hasValueSatisfying(reason -> assertThat(reason).contains("another room"));
    }

    @Test
    void anEventOfAUserWhoIsNotInTheRoomIsRejected(TestHomeserver hs) {
        trustRemote(hs);
        TestClient alice = hs.registerUser("alice");
        String without = alice.createRoom(NODES.objectNode().put("preset", "public_chat"));
        Pdu create = hs.homeserver()
                .testSeam()
                .event(stateId(hs, RoomId.parse(without), "m.room.create", ""))
                .orElseThrow()
                .pdu();
        // bob's server is in the first room only; its event for the second is not bob's to send
        Pdu intruding = PduBuilder.forVersion(create.version())
                .roomId(RoomId.parse(without))
                .sender(BOB)
                .type("m.room.message")
                .content(NODES.objectNode().put("body", "let me in"))
                .prevEvents(List.of(stateId(hs, RoomId.parse(without), "m.room.join_rules", "")))
                .authEvents(List.of(create.eventId(), stateId(hs, RoomId.parse(without), "m.room.power_levels", "")))
                .depth(10)
                .originServerTs(hs.time().nowMillis())
                .build(REMOTE, REMOTE_KEY);

        transaction(hs, "t5", ClientEvent.toFederationFormat(intruding)).expect(200);

        assertThat(stored(hs, intruding.eventId()).map(StoredEvent::rejectionReason))
                .hasValueSatisfying(reason -> assertThat(reason).isPresent());
    }

    @Test
    void aLocalEventAfterAForkWithDifferentStatesIsSentOnTheRoomsCurrentState(TestHomeserver hs) {
        trustRemote(hs);
        TestClient alice = hs.registerUser("alice");
        Room room = roomWithBob(alice, hs, "10");
        alice.sendState(
                room.id().value(), "m.room.topic", "", NODES.objectNode().put("topic", "after bob joined"));
        // bob's message comes from before the topic: the room has two forward extremities
        Pdu fork = bobSends(hs, room.id(), room.bobJoin(), "m.room.message", b -> {});
        transaction(hs, "t6", ClientEvent.toFederationFormat(fork)).expect(200);

        EventId next = new EventId(alice.sendMessage(room.id().value(), "after the fork"));

        Pdu sent = stored(hs, next).orElseThrow().pdu();
        assertThat(sent.prevEventIds()).contains(fork.eventId()).hasSize(2);
        JsonNode topic = alice.get("/_matrix/client/v3/rooms/"
                        + TestClient.encode(room.id().value()) + "/state/m.room.topic/")
                .expect(200)
                .json();
        assertThat(topic.path("topic").asText()).isEqualTo("after bob joined");
    }
}
