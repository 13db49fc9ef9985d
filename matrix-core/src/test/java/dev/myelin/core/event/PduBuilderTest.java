package dev.myelin.core.event;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.myelin.core.crypto.SignatureVerificationException;
import dev.myelin.core.crypto.SigningKey;
import dev.myelin.core.crypto.VerifyKey;
import dev.myelin.core.id.EventId;
import dev.myelin.core.id.RoomId;
import dev.myelin.core.id.ServerName;
import dev.myelin.core.id.SigningKeyId;
import dev.myelin.core.id.UserId;
import dev.myelin.core.json.CanonicalJson;
import dev.myelin.core.room.RoomVersion;
import dev.myelin.core.room.RoomVersions;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Building and signing local events, and verifying them as a receiving server would. */
class PduBuilderTest {
    static final ServerName ORIGIN = ServerName.parse("example.org");
    static final UserId ALICE = UserId.parse("@alice:example.org");
    static final RoomId ROOM = RoomId.parse("!room:example.org");
    static final SigningKey KEY = SigningKey.fromSeed("1", "YJDBA9Xnr2sVqXD9Vj7XVUnmFZcZrlw8Md7kMW+3XA1");
    static final Function<ServerName, Map<SigningKeyId, VerifyKey>> KEYS =
            server -> server.equals(ORIGIN) ? Map.of(KEY.keyId(), KEY.verifyKey()) : Map.of();

    static List<RoomVersion> versions() {
        return RoomVersions.all();
    }

    static EventId edge(RoomVersion version) {
        return version.eventFormat().eventIdInEvent()
                ? EventId.parse("$prev:example.org")
                : EventId.parse("$" + "A".repeat(43));
    }

    static RoomId room(RoomVersion version) {
        return version.eventFormat().roomIdFromCreateEvent() ? RoomId.parse("!" + "B".repeat(43)) : ROOM;
    }

    static Pdu message(RoomVersion version) {
        return PduBuilder.forVersion(version)
                .roomId(room(version))
                .sender(ALICE)
                .type("m.room.message")
                .content((ObjectNode) CanonicalJson.parse("{\"msgtype\":\"m.text\",\"body\":\"hello\"}"))
                .prevEvents(List.of(edge(version)))
                .authEvents(List.of(edge(version)))
                .depth(7)
                .originServerTs(1_700_000_000_000L)
                .unsigned((ObjectNode) CanonicalJson.parse("{\"transaction_id\":\"t1\"}"))
                .random(new Random(42))
                .build(ORIGIN, KEY);
    }

    @ParameterizedTest
    @MethodSource("versions")
    void buildsAnEventThatVerifies(RoomVersion version) {
        Pdu pdu = message(version);

        EventSignatures.verify(pdu, KEYS);
        assertThat(EventHashes.hasValidContentHash(pdu)).isTrue();
        assertThat(EventSignatures.verifyAndCheckHash(pdu, KEYS)).isSameAs(pdu);
        assertThat(pdu.originServerTs()).isEqualTo(1_700_000_000_000L);
        assertThat(pdu.depth()).isEqualTo(7);
        assertThat(pdu.content().path("body").textValue()).isEqualTo("hello");
        assertThat(pdu.unsigned().path("transaction_id").textValue()).isEqualTo("t1");
        assertThat(pdu.prevEventIds()).containsExactly(edge(version));
        assertThat(pdu.json().has("origin")).isFalse();
    }

    @ParameterizedTest
    @MethodSource("versions")
    void theEventIdSurvivesTheTripThroughFederation(RoomVersion version) {
        Pdu pdu = message(version);

        Pdu received = Pdus.fromJson(ClientEvent.toFederationFormat(pdu), version);

        assertThat(received.eventId()).isEqualTo(pdu.eventId());
        EventSignatures.verify(received, KEYS);
    }

    @Test
    void eventIdsFollowTheFormat() {
        assertThat(message(RoomVersions.V1).eventId().value()).matches("\\$[A-Za-z0-9]{18}:example\\.org");
        assertThat(message(RoomVersions.V1).eventId())
                .isEqualTo(message(RoomVersions.V1).eventId());
        assertThat(message(RoomVersions.V3).eventId().isStandardBase64Hash()).isTrue();
        assertThat(message(RoomVersions.V3).json().has("event_id")).isFalse();
        assertThat(message(RoomVersions.V4).eventId().isUrlSafeBase64Hash()).isTrue();
        assertThat(message(RoomVersions.V12).eventId().isUrlSafeBase64Hash()).isTrue();
    }

    @Test
    void version1EdgesArePairsWithReferenceHashes() {
        EventId withHash = EventId.parse("$a:example.org");
        EventId withoutHash = EventId.parse("$b:example.org");
        Pdu pdu = PduBuilder.forVersion(RoomVersions.V1)
                .roomId(ROOM)
                .sender(ALICE)
                .type("m.room.message")
                .prevEvents(List.of(withHash, withoutHash))
                .authEvents(List.of(withHash))
                .edgeReferenceHashes(Map.of(withHash, "aGFzaA"))
                .depth(2)
                .originServerTs(5)
                .build(ORIGIN, KEY);

        ArrayNode prev = (ArrayNode) pdu.json().get("prev_events");
        assertThat(CanonicalJson.encodeToString(prev))
                .isEqualTo("[[\"$a:example.org\",{\"sha256\":\"aGFzaA\"}],[\"$b:example.org\",{}]]");
        assertThat(pdu.prevEventIds()).containsExactly(withHash, withoutHash);
        assertThat(CanonicalJson.encodeToString(message(RoomVersions.V4).json().get("prev_events")))
                .isEqualTo("[\"$" + "A".repeat(43) + "\"]");
    }

    @Test
    void redactsGoesToTheTopLevelBeforeV11AndIntoContentFrom() {
        EventId target = EventId.parse("$" + "C".repeat(43));
        Function<RoomVersion, Pdu> redaction = version -> PduBuilder.forVersion(version)
                .roomId(room(version))
                .sender(ALICE)
                .type("m.room.redaction")
                .redacts(target)
                .depth(3)
                .originServerTs(9)
                .build(ORIGIN, KEY);

        Pdu v10 = redaction.apply(RoomVersions.V10);
        Pdu v11 = redaction.apply(RoomVersions.V11);

        assertThat(v10.json().path("redacts").textValue()).isEqualTo(target.value());
        assertThat(v10.content().has("redacts")).isFalse();
        assertThat(v11.json().has("redacts")).isFalse();
        assertThat(v11.content().path("redacts").textValue()).isEqualTo(target.value());
        assertThat(v10.redacts()).contains(target);
        assertThat(v11.redacts()).contains(target);
    }

    @ParameterizedTest
    @MethodSource("versions")
    void tamperedContentIsCaughtByTheContentHash(RoomVersion version) {
        ObjectNode json = ClientEvent.toFederationFormat(message(version));
        json.withObjectProperty("content").put("body", "tampered");
        Pdu tampered = Pdus.fromJson(json, version);

        // The signature covers only the redacted event, so it still holds ...
        EventSignatures.verify(tampered, KEYS);
        // ... but the content hash does not, and the receiver keeps the redacted event.
        assertThat(EventHashes.hasValidContentHash(tampered)).isFalse();
        Pdu kept = EventSignatures.verifyAndCheckHash(tampered, KEYS);
        assertThat(kept.content().has("body")).isFalse();
        assertThat(kept.eventId()).isEqualTo(tampered.eventId());
    }

    @Test
    void tamperedEssentialKeysBreakTheSignature() {
        ObjectNode json = message(RoomVersions.V1).json();
        json.put("depth", 8);
        Pdu tampered = Pdus.fromJson(json, RoomVersions.V1);

        assertThatThrownBy(() -> EventSignatures.verify(tampered, KEYS))
                .isInstanceOf(SignatureVerificationException.class)
                .hasMessageContaining("does not verify");
    }

    @Test
    void failsWithoutAKnownKeyOfTheSendersServer() {
        Pdu pdu = message(RoomVersions.V10);

        assertThatThrownBy(() -> EventSignatures.verify(pdu, server -> Map.of()))
                .isInstanceOf(SignatureVerificationException.class)
                .hasMessageContaining("no signature from example.org with a known key");
    }

    @Test
    void version1NeedsTheEventIdServersSignatureToo() {
        ObjectNode json = message(RoomVersions.V1).json();
        json.put("event_id", "$other:other.example");
        ServerName other = ServerName.parse("other.example");
        SigningKey otherKey = SigningKey.generate("o");
        ObjectNode rehashed = EventSigning.hashAndSign(json, RoomVersions.V1, ORIGIN, KEY);
        Pdu signedByOriginOnly = Pdus.fromJson(rehashed, RoomVersions.V1);
        Function<ServerName, Map<SigningKeyId, VerifyKey>> keys =
                server -> server.equals(other) ? Map.of(otherKey.keyId(), otherKey.verifyKey()) : KEYS.apply(server);

        assertThat(EventSignatures.requiredSigners(signedByOriginOnly)).containsExactly(ORIGIN, other);
        assertThatThrownBy(() -> EventSignatures.verify(signedByOriginOnly, keys))
                .isInstanceOf(SignatureVerificationException.class)
                .hasMessage("no signatures from other.example");

        Pdu signedByBoth =
                Pdus.fromJson(EventSigning.sign(rehashed, RoomVersions.V1, other, otherKey), RoomVersions.V1);
        EventSignatures.verify(signedByBoth, keys);
    }

    @Test
    void version3AndLaterNeedOnlyTheSendersServer() {
        assertThat(EventSignatures.requiredSigners(message(RoomVersions.V3))).containsExactly(ORIGIN);
    }

    @Test
    void rejectsMissingRequiredValues() {
        assertThatThrownBy(() -> PduBuilder.forVersion(RoomVersions.V10)
                        .sender(ALICE)
                        .type("m.room.message")
                        .depth(1)
                        .originServerTs(1)
                        .build(ORIGIN, KEY))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("roomId");
        assertThatThrownBy(() -> PduBuilder.forVersion(RoomVersions.V10)
                        .roomId(ROOM)
                        .sender(ALICE)
                        .type("m.room.message")
                        .depth(1)
                        .build(ORIGIN, KEY))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("originServerTs");
    }

    @Test
    void rejectsASenderOfAnotherServer() {
        assertThatThrownBy(() -> PduBuilder.forVersion(RoomVersions.V10)
                        .roomId(ROOM)
                        .sender(UserId.parse("@bob:elsewhere.example"))
                        .type("m.room.message")
                        .depth(1)
                        .originServerTs(1)
                        .build(ORIGIN, KEY))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("does not belong");
    }

    @Test
    void rejectsARoomIdOnAVersion12CreateEvent() {
        assertThatThrownBy(() -> PduBuilder.forVersion(RoomVersions.V12)
                        .roomId(room(RoomVersions.V12))
                        .sender(ALICE)
                        .type("m.room.create")
                        .stateKey("")
                        .depth(1)
                        .originServerTs(1)
                        .build(ORIGIN, KEY))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("no room_id");
    }

    @Test
    void refusesEventsOverThePduSizeLimits() {
        PduBuilder base = PduBuilder.forVersion(RoomVersions.V11)
                .roomId(ROOM)
                .sender(ALICE)
                .type("m.room.message")
                .depth(1)
                .originServerTs(1);
        ObjectNode huge = JsonNodeFactory.instance.objectNode().put("body", "x".repeat(PduLimits.MAX_PDU_BYTES));
        assertThatThrownBy(() -> base.content(huge).build(ORIGIN, KEY))
                .isInstanceOf(EventTooLargeException.class)
                .hasMessageContaining("the limit is 65536");

        PduBuilder longType = PduBuilder.forVersion(RoomVersions.V11)
                .roomId(ROOM)
                .sender(ALICE)
                .type("t".repeat(256))
                .depth(1)
                .originServerTs(1);
        assertThatThrownBy(() -> longType.build(ORIGIN, KEY)).hasMessage("'type' is longer than 255 bytes");
        // 128 characters of two bytes each: short in characters, long in bytes.
        assertThatThrownBy(() -> PduLimits.checkKeys("m.example", "é".repeat(128)))
                .hasMessage("'state_key' is longer than 255 bytes");
        PduLimits.checkKeys("t".repeat(255), "é".repeat(127));
    }
}
