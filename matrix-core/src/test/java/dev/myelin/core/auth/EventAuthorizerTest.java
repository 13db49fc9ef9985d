package dev.myelin.core.auth;

import static dev.myelin.core.auth.AuthAssertions.assertAllowed;
import static dev.myelin.core.auth.AuthAssertions.assertRejected;
import static dev.myelin.core.auth.TestRoom.ALICE;
import static dev.myelin.core.auth.TestRoom.BOB;
import static dev.myelin.core.auth.TestRoom.CAROL;
import static dev.myelin.core.auth.TestRoom.DAVE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.myelin.core.event.InvalidEventException;
import dev.myelin.core.event.Pdu;
import dev.myelin.core.id.EventId;
import dev.myelin.core.room.RoomVersion;
import dev.myelin.core.room.RoomVersions;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class EventAuthorizerTest {

    static Stream<RoomVersion> allVersions() {
        return RoomVersions.all().stream();
    }

    static Stream<RoomVersion> versionsBefore12() {
        return RoomVersions.all().stream().filter(v -> !v.auth().creatorsHaveInfinitePower());
    }

    @Nested
    class CreateRule {
        @ParameterizedTest
        @MethodSource("dev.myelin.core.auth.EventAuthorizerTest#allVersions")
        void allowsCreateEventWithTheContentItsVersionNeeds(RoomVersion version) {
            TestRoom room = TestRoom.empty(version);
            assertAllowed(room.check(room.createEvent(ALICE, c -> {})));
        }

        @ParameterizedTest
        @MethodSource("dev.myelin.core.auth.EventAuthorizerTest#allVersions")
        void rejectsCreateEventWithPrevEvents(RoomVersion version) {
            TestRoom room = TestRoom.created(version);
            Pdu create = room.withPrevEvents(
                    room.createEvent(ALICE, c -> {}),
                    List.of(room.createEventOfRoom().eventId()));
            assertRejected(room.check(create), "m.room.create: the create event has prev_events");
        }

        @ParameterizedTest
        @MethodSource("dev.myelin.core.auth.EventAuthorizerTest#versionsBefore12")
        void rejectsCreateEventWhoseRoomIdIsOnAnotherServer(RoomVersion version) {
            TestRoom room = TestRoom.empty(version);
            Pdu create = room.withKey(room.createEvent(ALICE, c -> {}), "room_id", "!room:b.test");
            assertRejected(room.check(create), "room id's server does not match");
        }

        @Test
        void rejectsCreateEventWithRoomIdInV12AtParseTime() {
            TestRoom room = TestRoom.empty(RoomVersions.V12);
            ObjectNode json = room.createEvent(ALICE, c -> {}).json();
            json.put("room_id", "!abc");
            // the event format rejects it before the auth rules see it
            assertThatThrownBy(() -> Pdu.of(RoomVersions.V12, json, EventId.parse("$" + "C".repeat(43))))
                    .isInstanceOf(InvalidEventException.class);
        }

        @ParameterizedTest
        @MethodSource("dev.myelin.core.auth.EventAuthorizerTest#allVersions")
        void rejectsCreateEventWithUnknownRoomVersion(RoomVersion version) {
            TestRoom room = TestRoom.empty(version);
            assertRejected(
                    room.check(room.createEvent(ALICE, c -> c.put("room_version", "999"))), "not a recognised version");
        }

        @Test
        void allowsCreateEventWithoutRoomVersion() {
            TestRoom room = TestRoom.empty(RoomVersions.V1);
            assertAllowed(room.check(room.createEvent(ALICE, c -> c.remove("room_version"))));
        }

        @Test
        void rejectsCreateEventWithoutCreatorBeforeV11() {
            TestRoom room = TestRoom.empty(RoomVersions.V10);
            assertRejected(room.check(room.createEvent(ALICE, c -> c.remove("creator"))), "content has no creator");
        }

        @Test
        void allowsCreateEventWithoutCreatorFromV11() {
            TestRoom room = TestRoom.empty(RoomVersions.V11);
            assertAllowed(room.check(room.createEvent(ALICE, c -> c.remove("creator"))));
        }

        @Test
        void allowsValidAdditionalCreatorsInV12() {
            TestRoom room = TestRoom.empty(RoomVersions.V12);
            assertAllowed(room.check(room.createEvent(
                    ALICE, c -> c.putArray("additional_creators").add(BOB))));
        }

        @Test
        void rejectsAdditionalCreatorsThatAreNotUserIdsInV12() {
            TestRoom room = TestRoom.empty(RoomVersions.V12);
            assertRejected(
                    room.check(room.createEvent(
                            ALICE, c -> c.putArray("additional_creators").add("bob"))),
                    "additional_creators has an invalid user id");
            assertRejected(
                    room.check(room.createEvent(ALICE, c -> c.put("additional_creators", BOB))),
                    "additional_creators is not an array");
        }

        @Test
        void ignoresAdditionalCreatorsBeforeV12() {
            TestRoom room = TestRoom.empty(RoomVersions.V11);
            assertAllowed(room.check(room.createEvent(
                    ALICE, c -> c.putArray("additional_creators").add("bob"))));
        }
    }

    @Nested
    class RoomIdAndCreateEvent {
        @Test
        void rejectsEventWhoseRoomIdDoesNotNameTheCreateEventInV12() {
            TestRoom room = TestRoom.created(RoomVersions.V12);
            TestRoom other = TestRoom.created(RoomVersions.V12);
            other.createEvent(ALICE, c -> {}); // advance the id counter so the rooms differ
            Pdu foreignCreate = other.send(other.createEvent(ALICE, c -> c.put("x", 1)));
            Pdu message = room.event("m.room.message", null, ALICE, "{body: 'hi'}");
            AuthState wrongCreate = (type, key) -> type.equals("m.room.create")
                    ? java.util.Optional.of(foreignCreate)
                    : room.state().get(type, key);
            assertRejected(EventAuthorizer.check(message, wrongCreate), "does not name the room's create event");
            assertAllowed(room.check(message));
        }

        @ParameterizedTest
        @MethodSource("dev.myelin.core.auth.EventAuthorizerTest#allVersions")
        void rejectsEventWhenTheStateHasNoCreateEvent(RoomVersion version) {
            TestRoom room = TestRoom.created(version);
            Pdu message = room.event("m.room.message", null, ALICE, "{body: 'hi'}");
            AuthState noCreate = (type, key) -> type.equals("m.room.create")
                    ? java.util.Optional.empty()
                    : room.state().get(type, key);
            assertThat(EventAuthorizer.check(message, noCreate).isAllowed()).isFalse();
        }
    }

    @Nested
    class AuthEventsRule {
        private List<Pdu> authEventsOf(TestRoom room, Pdu event) {
            List<Pdu> events = new ArrayList<>();
            for (StateTuple key : AuthEventSelection.select(event)) {
                if (room.get(key) != null) {
                    events.add(room.get(key));
                }
            }
            if (event.version().eventFormat().roomIdFromCreateEvent()) {
                events.add(room.createEventOfRoom());
            }
            return events;
        }

        @ParameterizedTest
        @MethodSource("dev.myelin.core.auth.EventAuthorizerTest#allVersions")
        void allowsEventCitingTheSelectedAuthEvents(RoomVersion version) {
            TestRoom room = TestRoom.created(version);
            Pdu message = room.event("m.room.message", null, ALICE, "{body: 'hi'}");
            assertAllowed(EventAuthorizer.checkAgainstAuthEvents(message, authEventsOf(room, message)));
        }

        @ParameterizedTest
        @MethodSource("dev.myelin.core.auth.EventAuthorizerTest#allVersions")
        void rejectsTwoAuthEventsWithTheSameTypeAndStateKey(RoomVersion version) {
            TestRoom room = TestRoom.created(version);
            Pdu oldLevels = room.get(StateTuple.POWER_LEVELS);
            room.powerLevels("{users: {'" + BOB + "': 10}}");
            Pdu message = room.event("m.room.message", null, ALICE, "{body: 'hi'}");
            List<EventId> ids = new ArrayList<>(message.authEventIds());
            ids.add(oldLevels.eventId());
            Pdu duplicated = room.withAuthEvents(message, ids);
            List<Pdu> events = authEventsOf(room, message);
            events.add(oldLevels);
            assertRejected(
                    EventAuthorizer.checkAuthEvents(duplicated, events, id -> false),
                    "more than one auth event for (m.room.power_levels, '')");
        }

        @ParameterizedTest
        @MethodSource("dev.myelin.core.auth.EventAuthorizerTest#allVersions")
        void rejectsAuthEventTheSelectionDoesNotPick(RoomVersion version) {
            TestRoom room = TestRoom.created(version);
            Pdu message = room.event("m.room.message", null, ALICE, "{body: 'hi'}");
            Pdu joinRules = room.get(StateTuple.JOIN_RULES);
            List<EventId> ids = new ArrayList<>(message.authEventIds());
            ids.add(joinRules.eventId());
            List<Pdu> events = authEventsOf(room, message);
            events.add(joinRules);
            assertRejected(
                    EventAuthorizer.checkAuthEvents(room.withAuthEvents(message, ids), events, id -> false),
                    "is not one the auth events selection picks");
        }

        @ParameterizedTest
        @MethodSource("dev.myelin.core.auth.EventAuthorizerTest#allVersions")
        void rejectsAuthEventThatWasRejected(RoomVersion version) {
            TestRoom room = TestRoom.created(version);
            Pdu message = room.event("m.room.message", null, ALICE, "{body: 'hi'}");
            EventId levels = room.get(StateTuple.POWER_LEVELS).eventId();
            assertRejected(
                    EventAuthorizer.checkAgainstAuthEvents(message, authEventsOf(room, message), levels::equals),
                    "was rejected");
        }

        @ParameterizedTest
        @MethodSource("dev.myelin.core.auth.EventAuthorizerTest#versionsBefore12")
        void rejectsAuthEventsWithoutTheCreateEventBeforeV12(RoomVersion version) {
            TestRoom room = TestRoom.created(version);
            Pdu message = room.event("m.room.message", null, ALICE, "{body: 'hi'}");
            EventId create = room.createEventOfRoom().eventId();
            List<EventId> ids = message.authEventIds().stream()
                    .filter(id -> !id.equals(create))
                    .toList();
            assertRejected(
                    EventAuthorizer.checkAuthEvents(
                            room.withAuthEvents(message, ids), authEventsOf(room, message), id -> false),
                    "no m.room.create event among the auth events");
        }

        @Test
        void rejectsTheCreateEventAsAnAuthEventInV12() {
            TestRoom room = TestRoom.created(RoomVersions.V12);
            Pdu message = room.event("m.room.message", null, ALICE, "{body: 'hi'}");
            assertThat(message.authEventIds())
                    .doesNotContain(room.createEventOfRoom().eventId());
            List<EventId> ids = new ArrayList<>(message.authEventIds());
            ids.add(room.createEventOfRoom().eventId());
            assertRejected(
                    EventAuthorizer.checkAuthEvents(
                            room.withAuthEvents(message, ids), authEventsOf(room, message), id -> false),
                    "(m.room.create, '')");
        }

        @Test
        void rejectsV12EventWhenTheCreateEventIsMissingOrRejected() {
            TestRoom room = TestRoom.created(RoomVersions.V12);
            Pdu message = room.event("m.room.message", null, ALICE, "{body: 'hi'}");
            List<Pdu> withoutCreate = new ArrayList<>(authEventsOf(room, message));
            withoutCreate.remove(room.createEventOfRoom());
            assertRejected(EventAuthorizer.checkAgainstAuthEvents(message, withoutCreate), "is not available");
            EventId create = room.createEventOfRoom().eventId();
            assertRejected(
                    EventAuthorizer.checkAgainstAuthEvents(message, authEventsOf(room, message), create::equals),
                    "room's create event");
        }

        @ParameterizedTest
        @MethodSource("dev.myelin.core.auth.EventAuthorizerTest#allVersions")
        void rejectsAuthEventFromAnotherRoom(RoomVersion version) {
            TestRoom room = TestRoom.created(version);
            Pdu foreignMember = room.withKey(
                    room.event("m.room.member", BOB, BOB, "{membership: 'join'}"),
                    "room_id",
                    version.eventFormat().roomIdFromCreateEvent() ? "!" + "D".repeat(43) : "!other:b.test");
            room.member(BOB, "join");
            Pdu message = room.event("m.room.message", null, BOB, "{body: 'hi'}");
            EventId own = room.get(StateTuple.member(BOB)).eventId();
            List<EventId> ids = new ArrayList<>(message.authEventIds());
            ids.set(ids.indexOf(own), foreignMember.eventId());
            List<Pdu> events = new ArrayList<>(authEventsOf(room, message));
            events.add(foreignMember);
            assertRejected(
                    EventAuthorizer.checkAuthEvents(room.withAuthEvents(message, ids), events, id -> false),
                    "is in another room");
        }

        @Test
        void rejectsAuthEventThatIsNotAvailable() {
            TestRoom room = TestRoom.created(RoomVersions.V10);
            Pdu message = room.event("m.room.message", null, ALICE, "{body: 'hi'}");
            assertRejected(
                    EventAuthorizer.checkAgainstAuthEvents(message, List.of(room.createEventOfRoom())),
                    "is not available");
        }
    }

    @Nested
    class FederateRule {
        @ParameterizedTest
        @MethodSource("dev.myelin.core.auth.EventAuthorizerTest#allVersions")
        void rejectsSenderFromAnotherServerWhenTheRoomDoesNotFederate(RoomVersion version) {
            TestRoom room = TestRoom.empty(version);
            room.send(room.createEvent(ALICE, c -> c.put("m.federate", false)));
            room.member(ALICE, "join");
            assertRejected(room.check(room.event("m.room.member", BOB, BOB, "{membership: 'join'}")), "m.federate");
            assertAllowed(room.check(room.event("m.room.message", null, ALICE, "{body: 'hi'}")));
        }

        @ParameterizedTest
        @MethodSource("dev.myelin.core.auth.EventAuthorizerTest#allVersions")
        void allowsSenderFromTheCreatorsServerWhenTheRoomDoesNotFederate(RoomVersion version) {
            TestRoom room = TestRoom.empty(version);
            room.send(room.createEvent(ALICE, c -> c.put("m.federate", false)));
            room.member(ALICE, "join");
            room.send(room.event("m.room.join_rules", "", ALICE, "{join_rule: 'public'}"));
            assertAllowed(room.check(room.event("m.room.member", DAVE, DAVE, "{membership: 'join'}")));
        }
    }

    @Nested
    class AliasesRule {
        @Test
        void allowsAliasesForTheSendersServerWithoutMembershipInV1() {
            TestRoom room = TestRoom.created(RoomVersions.V1);
            assertAllowed(room.check(room.event("m.room.aliases", "b.test", BOB, "{aliases: ['#x:b.test']}")));
        }

        @Test
        void rejectsAliasesForAnotherServerInV5() {
            TestRoom room = TestRoom.created(RoomVersions.V5);
            assertRejected(
                    room.check(room.event("m.room.aliases", "a.test", BOB, "{aliases: []}")),
                    "m.room.aliases: the state key is not the sender's server name");
        }

        @Test
        void rejectsAliasesWithoutStateKeyInV1() {
            TestRoom room = TestRoom.created(RoomVersions.V1);
            assertRejected(
                    room.check(room.event("m.room.aliases", null, ALICE, "{aliases: []}")),
                    "m.room.aliases: the event has no state key");
        }

        @Test
        void appliesOrdinaryRulesToAliasesFromV6() {
            TestRoom room = TestRoom.created(RoomVersions.V6);
            assertRejected(
                    room.check(room.event("m.room.aliases", "b.test", BOB, "{aliases: []}")), "sender membership");
            assertAllowed(room.check(room.event("m.room.aliases", "b.test", ALICE, "{aliases: []}")));
        }
    }

    @Nested
    class SenderMembership {
        @ParameterizedTest
        @MethodSource("dev.myelin.core.auth.EventAuthorizerTest#allVersions")
        void rejectsMessageFromUserWhoIsNotJoined(RoomVersion version) {
            TestRoom room = TestRoom.created(version).member(BOB, "invite");
            assertRejected(
                    room.check(room.event("m.room.message", null, BOB, "{body: 'hi'}")),
                    "sender membership: the sender is not joined to the room");
            assertRejected(room.check(room.event("m.room.message", null, CAROL, "{body: 'hi'}")), "sender membership");
        }

        @ParameterizedTest
        @MethodSource("dev.myelin.core.auth.EventAuthorizerTest#allVersions")
        void allowsMessageFromJoinedUser(RoomVersion version) {
            TestRoom room = TestRoom.created(version).member(BOB, "join");
            assertAllowed(room.check(room.event("m.room.message", null, BOB, "{body: 'hi'}")));
        }
    }

    @Nested
    class ThirdPartyInviteEvent {
        @ParameterizedTest
        @MethodSource("dev.myelin.core.auth.EventAuthorizerTest#allVersions")
        void allowsThirdPartyInviteEventAtInviteLevel(RoomVersion version) {
            TestRoom room = TestRoom.created(version).member(BOB, "join");
            assertAllowed(room.check(room.event("m.room.third_party_invite", "tok", BOB, "{public_key: 'x'}")));
        }

        @ParameterizedTest
        @MethodSource("dev.myelin.core.auth.EventAuthorizerTest#allVersions")
        void rejectsThirdPartyInviteEventBelowInviteLevel(RoomVersion version) {
            TestRoom room = TestRoom.created(version).member(BOB, "join");
            // state_default 0 would let Bob send other state; the invite level is what counts here
            room.powerLevels(
                    version.auth().creatorsHaveInfinitePower()
                            ? "{invite: 10, state_default: 0}"
                            : "{invite: 10, state_default: 0, users: {'" + ALICE + "': 100}}");
            assertRejected(
                    room.check(room.event("m.room.third_party_invite", "tok", BOB, "{public_key: 'x'}")),
                    "m.room.third_party_invite: the sender's level 0 is below the invite level 10");
        }
    }

    @Nested
    class RequiredPowerLevel {
        @ParameterizedTest
        @MethodSource("dev.myelin.core.auth.EventAuthorizerTest#allVersions")
        void rejectsStateEventBelowStateDefault(RoomVersion version) {
            TestRoom room = TestRoom.created(version).member(BOB, "join");
            assertRejected(
                    room.check(room.event("m.room.topic", "", BOB, "{topic: 'x'}")),
                    "sending m.room.topic needs level 50, the sender has 0");
            assertAllowed(room.check(room.event("m.room.topic", "", ALICE, "{topic: 'x'}")));
        }

        @ParameterizedTest
        @MethodSource("dev.myelin.core.auth.EventAuthorizerTest#allVersions")
        void appliesTheEventsOverrideBeforeTheDefaults(RoomVersion version) {
            TestRoom room = TestRoom.created(version).member(BOB, "join");
            room.powerLevels(
                    version.auth().creatorsHaveInfinitePower()
                            ? "{events: {'m.room.topic': 0, 'm.reaction': 20}}"
                            : "{events: {'m.room.topic': 0, 'm.reaction': 20}, users: {'" + ALICE + "': 100}}");
            assertAllowed(room.check(room.event("m.room.topic", "", BOB, "{topic: 'x'}")));
            assertRejected(room.check(room.event("m.reaction", null, BOB, "{}")), "needs level 20");
        }

        @ParameterizedTest
        @MethodSource("dev.myelin.core.auth.EventAuthorizerTest#allVersions")
        void usesSpecDefaultsWithoutPowerLevelsEvent(RoomVersion version) {
            TestRoom room = TestRoom.empty(version);
            room.send(room.createEvent(ALICE, c -> {}));
            room.member(ALICE, "join").member(BOB, "join");
            assertAllowed(room.check(room.event("m.room.name", "", ALICE, "{name: 'x'}")));
            assertRejected(room.check(room.event("m.room.name", "", BOB, "{name: 'x'}")), "needs level 50");
            assertAllowed(room.check(room.event("m.room.message", null, BOB, "{body: 'x'}")));
        }
    }

    @Nested
    class UserStateKey {
        @ParameterizedTest
        @MethodSource("dev.myelin.core.auth.EventAuthorizerTest#allVersions")
        void rejectsStateKeyNamingAnotherUser(RoomVersion version) {
            TestRoom room = TestRoom.created(version);
            assertRejected(
                    room.check(room.event("m.custom", BOB, ALICE, "{}")),
                    "a state key starting with '@' must be the sender's user id");
        }

        @ParameterizedTest
        @MethodSource("dev.myelin.core.auth.EventAuthorizerTest#allVersions")
        void allowsStateKeyNamingTheSender(RoomVersion version) {
            TestRoom room = TestRoom.created(version);
            assertAllowed(room.check(room.event("m.custom", ALICE, ALICE, "{}")));
        }
    }

    @Nested
    class Redaction {
        private TestRoom roomWithModerator(RoomVersion version) {
            TestRoom room = TestRoom.created(version).member(BOB, "join").member(CAROL, "join");
            room.powerLevels("{users: {'" + ALICE + "': 100, '" + BOB + "': 50}}");
            return room;
        }

        @Test
        void allowsRedactionAtTheRedactLevelInV1() {
            TestRoom room = roomWithModerator(RoomVersions.V1);
            Pdu carols = room.send(room.event("m.room.message", null, CAROL, "{body: 'x'}"));
            Pdu redaction = room.withKey(
                    room.event("m.room.redaction", null, BOB, "{}"),
                    "redacts",
                    carols.eventId().value());
            assertAllowed(room.check(redaction));
        }

        @Test
        void allowsRedactionOfAnEventFromTheSameServerInV2() {
            TestRoom room = roomWithModerator(RoomVersions.V2);
            Pdu alices = room.send(room.event("m.room.message", null, ALICE, "{body: 'x'}"));
            // Dave is on a.test like Alice, with no power
            room.member(DAVE, "join");
            Pdu redaction = room.withKey(
                    room.event("m.room.redaction", null, DAVE, "{}"),
                    "redacts",
                    alices.eventId().value());
            assertAllowed(room.check(redaction));
        }

        @Test
        void rejectsRedactionOfAnotherServersEventBelowTheRedactLevelInV1() {
            TestRoom room = roomWithModerator(RoomVersions.V1);
            Pdu bobs = room.send(room.event("m.room.message", null, BOB, "{body: 'x'}"));
            Pdu redaction = room.withKey(
                    room.event("m.room.redaction", null, CAROL, "{}"),
                    "redacts",
                    bobs.eventId().value());
            assertRejected(
                    room.check(redaction), "m.room.redaction: the sender's level 0 is below the redact level 50");
        }

        @Test
        void leavesRedactionChecksToRedactionHandlingFromV3() {
            TestRoom room = roomWithModerator(RoomVersions.V3);
            Pdu bobs = room.send(room.event("m.room.message", null, BOB, "{body: 'x'}"));
            Pdu redaction = room.withKey(
                    room.event("m.room.redaction", null, CAROL, "{}"),
                    "redacts",
                    bobs.eventId().value());
            assertAllowed(room.check(redaction));
        }

        @Test
        void appliesTheEventLevelToRedactionsFromV3() {
            TestRoom room = roomWithModerator(RoomVersions.V11);
            room.powerLevels("{events: {'m.room.redaction': 20}, users: {'" + ALICE + "': 100}}");
            assertRejected(
                    room.check(room.event("m.room.redaction", null, CAROL, "{redacts: '$" + "A".repeat(43) + "'}")),
                    "needs level 20");
        }
    }

    @Nested
    class Creators {
        @Test
        void givesTheContentCreatorLevel100WithoutPowerLevelsBeforeV11() {
            TestRoom room = TestRoom.empty(RoomVersions.V10);
            room.send(room.createEvent(ALICE, c -> c.put("creator", BOB)));
            room.member(BOB, "join").member(ALICE, "join");
            assertAllowed(room.check(room.event("m.room.name", "", BOB, "{name: 'x'}")));
            assertRejected(room.check(room.event("m.room.name", "", ALICE, "{name: 'x'}")), "needs level 50");
        }

        @Test
        void givesTheCreateEventSenderLevel100WithoutPowerLevelsInV11() {
            TestRoom room = TestRoom.empty(RoomVersions.V11);
            room.send(room.createEvent(ALICE, c -> c.put("creator", BOB)));
            room.member(ALICE, "join").member(BOB, "join");
            assertAllowed(room.check(room.event("m.room.name", "", ALICE, "{name: 'x'}")));
            assertRejected(room.check(room.event("m.room.name", "", BOB, "{name: 'x'}")), "needs level 50");
        }

        @Test
        void letsAdditionalCreatorsActWithInfinitePowerInV12() {
            TestRoom room = TestRoom.empty(RoomVersions.V12);
            room.send(room.createEvent(
                    ALICE, c -> c.putArray("additional_creators").add(BOB)));
            room.member(ALICE, "join").member(BOB, "join").member(CAROL, "join");
            room.powerLevels("{events: {'m.room.name': 1000000}, users: {'" + CAROL + "': 999999}}");
            assertAllowed(room.check(room.event("m.room.name", "", BOB, "{name: 'x'}")));
            assertAllowed(room.check(room.event("m.room.member", CAROL, BOB, "{membership: 'ban'}")));
            assertRejected(room.check(room.event("m.room.name", "", CAROL, "{name: 'x'}")), "needs level 1000000");
        }

        @Test
        void rejectsKickOfACreatorEvenByAnotherCreatorInV12() {
            TestRoom room = TestRoom.empty(RoomVersions.V12);
            room.send(room.createEvent(
                    ALICE, c -> c.putArray("additional_creators").add(BOB)));
            room.member(ALICE, "join").member(BOB, "join").member(CAROL, "join");
            room.powerLevels("{users: {'" + CAROL + "': 100}}");
            assertRejected(
                    room.check(room.event("m.room.member", ALICE, BOB, "{membership: 'leave'}")), "kicking needs");
            assertRejected(
                    room.check(room.event("m.room.member", ALICE, CAROL, "{membership: 'ban'}")), "banning needs");
        }

        @Test
        void keepsTheCreatorAtTheUsersLevelOnceThereArePowerLevelsBeforeV12() {
            TestRoom room = TestRoom.created(RoomVersions.V11).member(BOB, "join");
            room.powerLevels("{users: {'" + BOB + "': 100}}");
            assertAllowed(room.check(room.event("m.room.member", ALICE, BOB, "{membership: 'ban'}")));
        }
    }
}
