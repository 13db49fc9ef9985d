package dev.myelin.core.pdu;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.myelin.core.crypto.SigningKey;
import dev.myelin.core.event.EventHashes;
import dev.myelin.core.event.EventSigning;
import dev.myelin.core.id.RoomId;
import dev.myelin.core.id.ServerName;
import dev.myelin.core.room.RoomVersion;
import dev.myelin.core.room.RoomVersions;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Steps 1 to 3 of the checks on receipt of a PDU, in room versions 1, 10 and 12. */
class ReceivedPduCheckTest {
    static final ServerName ORIGIN = ServerName.parse("origin.test");
    static final ServerName RESIDENT = ServerName.parse("resident.test");
    static final SigningKey ORIGIN_KEY = SigningKey.fromSeed("1", new byte[32]);
    static final SigningKey RESIDENT_KEY = SigningKey.fromSeed("1", seed(7));
    private static final long TS = 1_700_000_000_000L;

    static Stream<RoomVersion> versions() {
        return Stream.of(RoomVersions.V1, RoomVersions.V10, RoomVersions.V12);
    }

    private static byte[] seed(int value) {
        byte[] seed = new byte[32];
        seed[0] = (byte) value;
        return seed;
    }

    /** Knows both servers' keys, valid until {@code validUntil}. */
    private static KeyLookup keys(long validUntil) {
        Map<ServerName, SigningKey> known = Map.of(ORIGIN, ORIGIN_KEY, RESIDENT, RESIDENT_KEY);
        return (server, keyId) -> Optional.ofNullable(known.get(server))
                .filter(k -> k.keyId().equals(keyId))
                .map(k -> new ServerKey(k.verifyKey(), validUntil));
    }

    static final KeyLookup ALL_KEYS = keys(Long.MAX_VALUE);

    /** An unsigned, unhashed event in {@code version}'s federation format. */
    static ObjectNode event(RoomVersion version, String type, String stateKey, ObjectNode content) {
        ObjectNode json = JsonNodeFactory.instance.objectNode();
        json.put("type", type);
        if (stateKey != null) {
            json.put("state_key", stateKey);
        }
        json.put("sender", "@alice:origin.test");
        json.put("room_id", roomId(version));
        json.set("content", content);
        json.put("origin_server_ts", TS);
        json.put("depth", 3);
        json.putArray("prev_events");
        json.putArray("auth_events");
        if (version.eventFormat().eventIdInEvent()) {
            json.put("event_id", "$abc:origin.test");
        }
        return json;
    }

    private static String roomId(RoomVersion version) {
        if (!version.eventFormat().roomIdFromCreateEvent()) {
            return "!room:origin.test";
        }
        ObjectNode create = JsonNodeFactory.instance.objectNode();
        create.put("type", "m.room.create");
        create.put("state_key", "");
        create.put("sender", "@alice:origin.test");
        create.putObject("content").put("room_version", version.id());
        create.put("origin_server_ts", TS);
        create.put("depth", 1);
        create.putArray("prev_events");
        create.putArray("auth_events");
        return RoomId.fromCreateEvent(EventHashes.eventId(create, version)).value();
    }

    static ObjectNode message(RoomVersion version) {
        ObjectNode content = JsonNodeFactory.instance.objectNode();
        content.put("msgtype", "m.text");
        content.put("body", "hello");
        return event(version, "m.room.message", null, content);
    }

    static ObjectNode signed(ObjectNode event, RoomVersion version) {
        return EventSigning.hashAndSign(event, version, ORIGIN, ORIGIN_KEY);
    }

    @ParameterizedTest
    @MethodSource("versions")
    void acceptsAWellFormedSignedEventAsItIs(RoomVersion version) {
        ObjectNode json = signed(message(version), version);

        PduVerdict verdict = ReceivedPduCheck.verify(json, version, ALL_KEYS);

        assertThat(verdict).isInstanceOfSatisfying(PduVerdict.Accepted.class, accepted -> {
            assertThat(accepted.redacted()).isFalse();
            assertThat(accepted.event().content().get("body").asText()).isEqualTo("hello");
        });
    }

    static Stream<RoomVersion> laterVersions() {
        return Stream.of(RoomVersions.V10, RoomVersions.V12);
    }

    private static ObjectNode invite(RoomVersion version, boolean fromThirdPartyInvite) {
        ObjectNode content = JsonNodeFactory.instance.objectNode();
        content.put("membership", "invite");
        if (fromThirdPartyInvite) {
            ObjectNode invite = content.putObject("third_party_invite");
            invite.put("display_name", "bob...@example.org");
            ObjectNode signed = invite.putObject("signed");
            signed.put("mxid", "@bob:resident.test");
            signed.put("token", "abc");
            signed.putObject("signatures");
        }
        return event(version, "m.room.member", "@bob:resident.test", content);
    }

    /** proves: an invite made from a third-party invite may come signed by another server than its sender's. */
    @ParameterizedTest
    @MethodSource("laterVersions")
    void acceptsAThirdPartyInviteSignedByAnotherServerThanTheSenders(RoomVersion version) {
        ObjectNode json = EventSigning.hashAndSign(invite(version, true), version, RESIDENT, RESIDENT_KEY);

        assertThat(ReceivedPduCheck.verify(json, version, ALL_KEYS)).isInstanceOf(PduVerdict.Accepted.class);
    }

    /** proves: the exception is for third-party invites only; a plain invite needs its sender's server. */
    @ParameterizedTest
    @MethodSource("laterVersions")
    void dropsAPlainInviteNotSignedByTheSendersServer(RoomVersion version) {
        ObjectNode json = EventSigning.hashAndSign(invite(version, false), version, RESIDENT, RESIDENT_KEY);

        assertThat(ReceivedPduCheck.verify(json, version, ALL_KEYS))
                .isInstanceOfSatisfying(
                        PduVerdict.Dropped.class,
                        dropped -> assertThat(dropped.step()).isEqualTo(PduCheckStep.SIGNATURES));
    }

    @ParameterizedTest
    @MethodSource("versions")
    void dropsAnEventOverTheSizeLimit(RoomVersion version) {
        ObjectNode event = message(version);
        ((ObjectNode) event.get("content")).put("body", "x".repeat(65_536));

        PduVerdict verdict = ReceivedPduCheck.verify(signed(event, version), version, ALL_KEYS);

        assertThat(verdict).isInstanceOfSatisfying(PduVerdict.Dropped.class, dropped -> {
            assertThat(dropped.step()).isEqualTo(PduCheckStep.FORMAT);
            assertThat(dropped.reason()).contains("65536");
        });
    }

    @ParameterizedTest
    @MethodSource("versions")
    void dropsAnEventWithATypeLongerThan255Bytes(RoomVersion version) {
        ObjectNode event = message(version);
        event.put("type", "t".repeat(256));

        PduVerdict verdict = ReceivedPduCheck.verify(signed(event, version), version, ALL_KEYS);

        assertThat(verdict).isInstanceOfSatisfying(PduVerdict.Dropped.class, dropped -> {
            assertThat(dropped.step()).isEqualTo(PduCheckStep.FORMAT);
            assertThat(dropped.reason()).contains("'type'");
        });
    }

    @ParameterizedTest
    @MethodSource("versions")
    void dropsAnEventMissingARequiredKey(RoomVersion version) {
        ObjectNode event = message(version);
        event.remove("depth");

        PduVerdict verdict = ReceivedPduCheck.verify(signed(event, version), version, ALL_KEYS);

        assertThat(verdict)
                .isInstanceOfSatisfying(
                        PduVerdict.Dropped.class,
                        dropped -> assertThat(dropped.step()).isEqualTo(PduCheckStep.FORMAT));
    }

    @ParameterizedTest
    @MethodSource("versions")
    void dropsAnUnsignedEvent(RoomVersion version) {
        ObjectNode json = EventHashes.withContentHash(message(version));

        PduVerdict verdict = ReceivedPduCheck.verify(json, version, ALL_KEYS);

        assertThat(verdict).isInstanceOfSatisfying(PduVerdict.Dropped.class, dropped -> {
            assertThat(dropped.step()).isEqualTo(PduCheckStep.SIGNATURES);
            assertThat(dropped.reason()).contains("origin.test");
        });
    }

    @ParameterizedTest
    @MethodSource("versions")
    void dropsAnEventWhoseSignatureDoesNotVerify(RoomVersion version) {
        ObjectNode json = signed(message(version), version);
        // Changing a key that survives redaction breaks the signature; the content would only break the hash.
        json.put("origin_server_ts", TS + 1);

        PduVerdict verdict = ReceivedPduCheck.verify(json, version, ALL_KEYS);

        assertThat(verdict).isInstanceOfSatisfying(PduVerdict.Dropped.class, dropped -> {
            assertThat(dropped.step()).isEqualTo(PduCheckStep.SIGNATURES);
            assertThat(dropped.reason()).contains("does not verify");
        });
    }

    @ParameterizedTest
    @MethodSource("versions")
    void dropsAnEventSignedOnlyByAnotherServer(RoomVersion version) {
        ObjectNode json = EventSigning.hashAndSign(message(version), version, RESIDENT, RESIDENT_KEY);

        PduVerdict verdict = ReceivedPduCheck.verify(json, version, ALL_KEYS);

        assertThat(verdict).isInstanceOf(PduVerdict.Dropped.class);
    }

    @ParameterizedTest
    @MethodSource("versions")
    void dropsAnEventWhenTheSendersKeyIsUnknown(RoomVersion version) {
        ObjectNode json = signed(message(version), version);

        PduVerdict verdict = ReceivedPduCheck.verify(json, version, (server, keyId) -> Optional.empty());

        assertThat(verdict)
                .isInstanceOfSatisfying(
                        PduVerdict.Dropped.class,
                        dropped -> assertThat(dropped.step()).isEqualTo(PduCheckStep.SIGNATURES));
    }

    @ParameterizedTest
    @MethodSource("versions")
    void ignoresAKeyThatExpiredBeforeTheEventFromRoomVersion5(RoomVersion version) {
        ObjectNode json = signed(message(version), version);

        PduVerdict verdict = ReceivedPduCheck.verify(json, version, keys(TS - 1));

        if (version.enforceKeyValidity()) {
            assertThat(verdict).isInstanceOf(PduVerdict.Dropped.class);
        } else {
            assertThat(verdict).isInstanceOf(PduVerdict.Accepted.class);
        }
        assertThat(ReceivedPduCheck.verify(json, version, keys(TS))).isInstanceOf(PduVerdict.Accepted.class);
    }

    @ParameterizedTest
    @MethodSource("versions")
    void usesTheRedactedFormWhenTheContentHashDoesNotMatch(RoomVersion version) {
        ObjectNode json = signed(message(version), version);
        ((ObjectNode) json.get("content")).put("body", "tampered");

        PduVerdict verdict = ReceivedPduCheck.verify(json, version, ALL_KEYS);

        assertThat(verdict).isInstanceOfSatisfying(PduVerdict.Accepted.class, accepted -> {
            assertThat(accepted.redacted()).isTrue();
            assertThat(accepted.event().content().isEmpty()).isTrue();
            assertThat(accepted.event().type()).isEqualTo("m.room.message");
        });
    }

    @ParameterizedTest
    @MethodSource("versions")
    void rejectsAMemberEventNotSignedByTheServerOfJoinAuthorisedViaUsersServer(RoomVersion version) {
        for (String membership : new String[] {"join", "leave"}) {
            ObjectNode content = JsonNodeFactory.instance.objectNode();
            content.put("membership", membership);
            content.put("join_authorised_via_users_server", "@admin:resident.test");
            ObjectNode event = signed(event(version, "m.room.member", "@alice:origin.test", content), version);

            PduVerdict senderOnly = ReceivedPduCheck.verify(event, version, ALL_KEYS);
            PduVerdict both = ReceivedPduCheck.verify(
                    EventSigning.sign(event, version, RESIDENT, RESIDENT_KEY), version, ALL_KEYS);

            if (version.auth().restrictedJoins()) {
                assertThat(senderOnly).isInstanceOfSatisfying(PduVerdict.Rejected.class, rejected -> {
                    assertThat(rejected.step()).isEqualTo(PduCheckStep.AUTH_EVENTS);
                    assertThat(rejected.reason()).contains("join_authorised_via_users_server", "resident.test");
                });
            } else {
                assertThat(senderOnly).isInstanceOf(PduVerdict.Accepted.class);
            }
            assertThat(both).isInstanceOf(PduVerdict.Accepted.class);
        }
    }

    @Test
    void needsTheSignatureOfTheEventIdsServerInRoomVersion1() {
        RoomVersion version = RoomVersions.V1;
        ObjectNode event = message(version);
        event.put("event_id", "$abc:resident.test");
        ObjectNode json = signed(event, version);

        PduVerdict originOnly = ReceivedPduCheck.verify(json, version, ALL_KEYS);
        PduVerdict both =
                ReceivedPduCheck.verify(EventSigning.sign(json, version, RESIDENT, RESIDENT_KEY), version, ALL_KEYS);

        assertThat(originOnly)
                .isInstanceOfSatisfying(
                        PduVerdict.Dropped.class,
                        dropped -> assertThat(dropped.reason()).contains("resident.test"));
        assertThat(both).isInstanceOf(PduVerdict.Accepted.class);
    }

    @ParameterizedTest
    @MethodSource("versions")
    void dropsAnEventThatIsNotCanonicalJson(RoomVersion version) {
        ObjectNode json = signed(message(version), version);
        ((ObjectNode) json.get("content")).put("score", 1.5);

        PduVerdict verdict = ReceivedPduCheck.verify(json, version, ALL_KEYS);

        assertThat(verdict)
                .isInstanceOfSatisfying(
                        PduVerdict.Dropped.class,
                        dropped -> assertThat(dropped.step()).isEqualTo(PduCheckStep.FORMAT));
    }
}
