package dev.myelin.core.pdu;

import static dev.myelin.core.pdu.SignedRoom.ALICE;
import static dev.myelin.core.pdu.SignedRoom.BOB;
import static dev.myelin.core.pdu.SignedRoom.CAROL;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.myelin.core.auth.StateTuple;
import dev.myelin.core.crypto.SigningKey;
import dev.myelin.core.event.EventSigning;
import dev.myelin.core.event.Pdu;
import dev.myelin.core.event.Pdus;
import dev.myelin.core.id.EventId;
import dev.myelin.core.id.ServerName;
import dev.myelin.core.room.RoomVersion;
import dev.myelin.core.room.RoomVersions;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Steps 4 to 6 of the checks on receipt of a PDU, run through {@link ReceivedPduCheck#check}. */
class ReceivedPduAuthorizationTest {
    private static final Map<ServerName, SigningKey> KEYS = Map.of(
            ReceivedPduCheckTest.ORIGIN, ReceivedPduCheckTest.ORIGIN_KEY,
            ReceivedPduCheckTest.RESIDENT, ReceivedPduCheckTest.RESIDENT_KEY);

    static List<RoomVersion> versions() {
        return ReceivedPduCheckTest.versions().toList();
    }

    private static PduVerdict check(
            SignedRoom room,
            ObjectNode json,
            RoomVersion version,
            Map<StateTuple, Pdu> before,
            Map<StateTuple, Pdu> now) {
        return ReceivedPduCheck.check(
                json, version, ReceivedPduCheckTest.ALL_KEYS, room.authEventsOf(json), id -> false, before, now);
    }

    @ParameterizedTest
    @MethodSource("versions")
    void acceptsAMessageFromAJoinedMember(RoomVersion version) {
        SignedRoom room = SignedRoom.withAliceAndBob(version, KEYS);
        ObjectNode message = room.event("m.room.message", null, BOB, SignedRoom.text("hi"));

        PduVerdict verdict = check(room, message, version, room.state(), room.state());

        assertThat(verdict).isInstanceOfSatisfying(PduVerdict.Accepted.class, accepted -> {
            assertThat(accepted.redacted()).isFalse();
            assertThat(accepted.event().sender().toString()).isEqualTo(BOB);
        });
    }

    @ParameterizedTest
    @MethodSource("versions")
    void rejectsAtStep4AMessageFromSomeoneNotInTheRoom(RoomVersion version) {
        SignedRoom room = SignedRoom.withAliceAndBob(version, KEYS);
        ObjectNode message = room.event("m.room.message", null, CAROL, SignedRoom.text("hi"));

        PduVerdict verdict = check(room, message, version, room.state(), room.state());

        assertThat(verdict).isInstanceOfSatisfying(PduVerdict.Rejected.class, rejected -> {
            assertThat(rejected.step()).isEqualTo(PduCheckStep.AUTH_EVENTS);
            assertThat(rejected.reason()).contains("not joined");
        });
    }

    @ParameterizedTest
    @MethodSource("versions")
    void rejectsAtStep4AnEventCitingAnAuthEventItShouldNot(RoomVersion version) {
        SignedRoom room = SignedRoom.withAliceAndBob(version, KEYS);
        // Alice's membership is not an auth event of Bob's message.
        List<EventId> auth = List.of(
                room.get(StateTuple.POWER_LEVELS).eventId(),
                room.get(StateTuple.member(BOB)).eventId(),
                room.get(StateTuple.member(ALICE)).eventId());
        ObjectNode message = room.event(
                "m.room.message",
                null,
                BOB,
                SignedRoom.text("hi"),
                version.eventFormat().roomIdFromCreateEvent()
                        ? auth
                        : Stream.concat(Stream.of(room.get(StateTuple.CREATE).eventId()), auth.stream())
                                .toList());

        PduVerdict verdict = check(room, message, version, room.state(), room.state());

        assertThat(verdict).isInstanceOfSatisfying(PduVerdict.Rejected.class, rejected -> {
            assertThat(rejected.step()).isEqualTo(PduCheckStep.AUTH_EVENTS);
            assertThat(rejected.reason()).startsWith("auth events");
        });
    }

    @ParameterizedTest
    @MethodSource("versions")
    void rejectsAtStep5WhenTheStateBeforeTheEventHasTheSenderBanned(RoomVersion version) {
        SignedRoom room = SignedRoom.withAliceAndBob(version, KEYS);
        ObjectNode message = room.event("m.room.message", null, BOB, SignedRoom.text("hi"));
        room.send(room.event("m.room.member", BOB, ALICE, SignedRoom.membership("ban")));

        PduVerdict verdict = check(room, message, version, room.state(), room.state());

        assertThat(verdict).isInstanceOfSatisfying(PduVerdict.Rejected.class, rejected -> {
            assertThat(rejected.step()).isEqualTo(PduCheckStep.STATE_BEFORE);
            assertThat(rejected.reason()).contains("not joined");
        });
    }

    @ParameterizedTest
    @MethodSource("versions")
    void softFailsWhenOnlyTheCurrentStateHasTheSenderBanned(RoomVersion version) {
        SignedRoom room = SignedRoom.withAliceAndBob(version, KEYS);
        Map<StateTuple, Pdu> before = room.state();
        ObjectNode message = room.event("m.room.message", null, BOB, SignedRoom.text("hi"));
        room.send(room.event("m.room.member", BOB, ALICE, SignedRoom.membership("ban")));

        PduVerdict verdict = check(room, message, version, before, room.state());

        assertThat(verdict).isInstanceOfSatisfying(PduVerdict.SoftFailed.class, softFailed -> {
            assertThat(softFailed.event().sender().toString()).isEqualTo(BOB);
            assertThat(softFailed.reason()).contains("not joined");
        });
    }

    @ParameterizedTest
    @MethodSource("versions")
    void rejectsAtStep4WhenACitedAuthEventWasRejected(RoomVersion version) {
        SignedRoom room = SignedRoom.withAliceAndBob(version, KEYS);
        ObjectNode message = room.event("m.room.message", null, BOB, SignedRoom.text("hi"));
        Pdu bobsJoin = room.get(StateTuple.member(BOB));

        PduVerdict verdict = ReceivedPduCheck.check(
                message,
                version,
                ReceivedPduCheckTest.ALL_KEYS,
                room.authEventsOf(message),
                bobsJoin.eventId()::equals,
                room.state(),
                room.state());

        assertThat(verdict).isInstanceOfSatisfying(PduVerdict.Rejected.class, rejected -> {
            assertThat(rejected.step()).isEqualTo(PduCheckStep.AUTH_EVENTS);
            assertThat(rejected.reason()).contains("was rejected");
        });
    }

    @ParameterizedTest
    @MethodSource("versions")
    void checksTheRedactedFormWhenTheHashDoesNotMatch(RoomVersion version) {
        SignedRoom room = SignedRoom.withAliceAndBob(version, KEYS);
        ObjectNode message = room.event("m.room.message", null, BOB, SignedRoom.text("hi"));
        ((ObjectNode) message.get("content")).put("body", "tampered");

        PduVerdict verdict = check(room, message, version, room.state(), room.state());

        assertThat(verdict).isInstanceOfSatisfying(PduVerdict.Accepted.class, accepted -> {
            assertThat(accepted.redacted()).isTrue();
            assertThat(accepted.event().content().isEmpty()).isTrue();
        });
    }

    @ParameterizedTest
    @MethodSource("versions")
    void dropsBeforeAnyAuthCheckWhenTheSignatureIsBad(RoomVersion version) {
        SignedRoom room = SignedRoom.withAliceAndBob(version, KEYS);
        ObjectNode message = room.event("m.room.message", null, CAROL, SignedRoom.text("hi"));
        message.remove("signatures");

        PduVerdict verdict = check(room, message, version, room.state(), room.state());

        assertThat(verdict)
                .isInstanceOfSatisfying(
                        PduVerdict.Dropped.class,
                        dropped -> assertThat(dropped.step()).isEqualTo(PduCheckStep.SIGNATURES));
    }

    @ParameterizedTest
    @MethodSource("versions")
    void acceptsTheCreateEventWithNoAuthEventsAndNoState(RoomVersion version) {
        SignedRoom room = SignedRoom.withAliceAndBob(version, KEYS);
        ObjectNode create = Pdus.federationJson(room.get(StateTuple.CREATE));

        PduVerdict verdict = ReceivedPduCheck.check(
                create, version, ReceivedPduCheckTest.ALL_KEYS, List.of(), id -> false, Map.of(), Map.of());

        assertThat(verdict)
                .isInstanceOfSatisfying(
                        PduVerdict.Accepted.class,
                        accepted -> assertThat(accepted.event().eventId())
                                .isEqualTo(room.get(StateTuple.CREATE).eventId()));
    }

    @Test
    void rejectsAtStep4AVersion12EventWhoseRoomIdNamesAnotherCreateEvent() {
        RoomVersion version = RoomVersions.V12;
        SignedRoom room = SignedRoom.withAliceAndBob(version, KEYS);
        ObjectNode message = room.event("m.room.message", null, BOB, SignedRoom.text("hi"));
        message.remove("signatures");
        message.remove("hashes");
        message.put("room_id", "!" + "A".repeat(43));
        ObjectNode resigned = EventSigning.hashAndSign(
                message, version, ReceivedPduCheckTest.RESIDENT, ReceivedPduCheckTest.RESIDENT_KEY);

        PduVerdict verdict = check(room, resigned, version, room.state(), room.state());

        assertThat(verdict).isInstanceOfSatisfying(PduVerdict.Rejected.class, rejected -> {
            assertThat(rejected.step()).isEqualTo(PduCheckStep.AUTH_EVENTS);
            assertThat(rejected.reason()).contains("is in another room");
        });
    }
}
