package dev.myelin.core.auth;

import static dev.myelin.core.auth.AuthAssertions.assertAllowed;
import static dev.myelin.core.auth.AuthAssertions.assertRejected;
import static dev.myelin.core.auth.TestRoom.ALICE;
import static dev.myelin.core.auth.TestRoom.BOB;
import static dev.myelin.core.auth.TestRoom.CAROL;

import dev.myelin.core.room.RoomVersion;
import dev.myelin.core.room.RoomVersions;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** The {@code m.room.power_levels} rule: content validity and changes beyond the sender's power. */
class PowerLevelsRuleTest {

    /** Alice 100, Bob (moderator) 50, Carol 50 before v12; in v12 Alice is a creator and not listed. */
    private static TestRoom room(RoomVersion version) {
        TestRoom room = TestRoom.created(version).member(BOB, "join").member(CAROL, "join");
        room.powerLevels(users(version, "'" + BOB + "': 50, '" + CAROL + "': 50"));
        return room;
    }

    private static String users(RoomVersion version, String entries) {
        return version.auth().creatorsHaveInfinitePower()
                ? "{users: {" + entries + "}}"
                : "{users: {'" + ALICE + "': 100, " + entries + "}}";
    }

    private static AuthResult send(TestRoom room, String sender, String content) {
        return room.check(room.event("m.room.power_levels", "", sender, content));
    }

    @Nested
    class FirstPowerLevels {
        @ParameterizedTest
        @MethodSource("dev.myelin.core.auth.EventAuthorizerTest#allVersions")
        void allowsTheFirstPowerLevelsEventWhateverItGrants(RoomVersion version) {
            TestRoom room = TestRoom.empty(version);
            room.send(room.createEvent(ALICE, c -> {}));
            room.member(ALICE, "join");
            assertAllowed(send(room, ALICE, "{users: {'" + BOB + "': 1000}, ban: 5000}"));
        }
    }

    @Nested
    class ContentValidity {
        @ParameterizedTest
        @MethodSource("dev.myelin.core.auth.EventAuthorizerTest#allVersions")
        void rejectsUsersKeyThatIsNotAUserId(RoomVersion version) {
            TestRoom room = room(version);
            assertRejected(send(room, ALICE, "{users: {'bob': 10}}"), "not a user id: bob");
        }

        @ParameterizedTest
        @MethodSource("dev.myelin.core.auth.EventAuthorizerTest#allVersions")
        void rejectsUsersThatIsNotAnObjectOfLevels(RoomVersion version) {
            TestRoom room = room(version);
            assertRejected(send(room, ALICE, "{users: []}"), "'users' is not an object");
            assertRejected(send(room, ALICE, "{users: {'" + BOB + "': 'fifty'}}"), "'users' is not an object");
            assertRejected(send(room, ALICE, "{users: {'" + BOB + "': true}}"), "'users' is not an object");
        }

        @Test
        void acceptsStringyLevelsBeforeV10() {
            TestRoom room = room(RoomVersions.V9);
            assertAllowed(send(
                    room,
                    ALICE,
                    "{ban: ' +50 ', events: {'m.room.name': '0040'}, users: {'" + ALICE + "': '100', '" + BOB
                            + "': ' -5'}}"));
        }

        @Test
        void rejectsStringLevelsFromV10() {
            TestRoom room = room(RoomVersions.V10);
            assertRejected(send(room, ALICE, "{ban: '50'}"), "'ban' is not an integer");
            assertRejected(
                    send(room, ALICE, "{events: {'m.room.name': '50'}}"), "'events' is not an object of integers");
            assertRejected(send(room, ALICE, "{notifications: {room: '50'}}"), "'notifications' is not an object");
            assertRejected(
                    send(room, ALICE, "{users: {'" + ALICE + "': '100'}}"), "'users' is not an object of integers");
        }

        @Test
        void rejectsEventsThatIsNotAnObjectFromV10() {
            TestRoom room = room(RoomVersions.V11);
            assertRejected(send(room, ALICE, "{events: 5}"), "'events' is not an object");
        }

        @Test
        void acceptsFloatLevelsBeforeV6() {
            TestRoom room = room(RoomVersions.V5);
            assertAllowed(send(room, ALICE, "{users: {'" + ALICE + "': 100, '" + BOB + "': 50.57}}"));
        }

        @Test
        void rejectsFloatOutsideTheRangeOfADoubleBeforeV6() {
            TestRoom room = room(RoomVersions.V1);
            assertRejected(send(room, ALICE, "{ban: 1e400}"), "outside the range of a double");
        }

        @Test
        void rejectsStringUserLevelThatIsNotAnInteger() {
            TestRoom room = room(RoomVersions.V3);
            assertRejected(send(room, ALICE, "{users: {'" + BOB + "': '5.5'}}"), "'users' is not an object");
        }
    }

    @Nested
    class TopLevelChanges {
        @ParameterizedTest
        @MethodSource("dev.myelin.core.auth.EventAuthorizerTest#allVersions")
        void rejectsRaisingADefaultAboveTheSendersLevel(RoomVersion version) {
            TestRoom room = room(version);
            room.powerLevels(users(version, "'" + BOB + "': 50").replace("{users", "{state_default: 40, users"));
            assertRejected(
                    send(
                            room,
                            BOB,
                            users(version, "'" + BOB + "': 50")
                                    .replace("{users", "{state_default: 40, kick: 60, users")),
                    "setting kick to 60 is above the sender's level 50");
        }

        @ParameterizedTest
        @MethodSource("dev.myelin.core.auth.EventAuthorizerTest#allVersions")
        void rejectsChangingADefaultThatIsAboveTheSendersLevel(RoomVersion version) {
            TestRoom room = room(version);
            room.powerLevels(
                    users(version, "'" + BOB + "': 50").replace("{users", "{state_default: 0, ban: 70, users"));
            assertRejected(
                    send(room, BOB, users(version, "'" + BOB + "': 50").replace("{users", "{state_default: 0, users")),
                    "changing ban from 70");
        }

        @ParameterizedTest
        @MethodSource("dev.myelin.core.auth.EventAuthorizerTest#allVersions")
        void allowsChangingDefaultsWithinTheSendersLevel(RoomVersion version) {
            TestRoom room = room(version);
            room.powerLevels(users(version, "'" + BOB + "': 50").replace("{users", "{state_default: 0, users"));
            assertAllowed(send(
                    room,
                    BOB,
                    users(version, "'" + BOB + "': 50")
                            .replace("{users", "{state_default: 0, invite: 50, kick: 20, users")));
        }
    }

    @Nested
    class EventsAndNotifications {
        @ParameterizedTest
        @MethodSource("dev.myelin.core.auth.EventAuthorizerTest#allVersions")
        void rejectsSettingAnEventLevelAboveTheSendersLevel(RoomVersion version) {
            TestRoom room = room(version);
            assertRejected(
                    send(
                            room,
                            BOB,
                            users(version, "'" + BOB + "': 50")
                                    .replace("{users", "{state_default: 0, events: {'m.room.topic': 75}, users")),
                    "setting events.m.room.topic to 75");
        }

        @ParameterizedTest
        @MethodSource("dev.myelin.core.auth.EventAuthorizerTest#allVersions")
        void rejectsRemovingAnEventLevelAboveTheSendersLevel(RoomVersion version) {
            TestRoom room = room(version);
            room.powerLevels(users(version, "'" + BOB + "': 50")
                    .replace("{users", "{state_default: 0, events: {'m.room.tombstone': 100}, users"));
            assertRejected(
                    send(room, BOB, users(version, "'" + BOB + "': 50").replace("{users", "{state_default: 0, users")),
                    "changing events.m.room.tombstone from 100");
        }

        @Test
        void ignoresNotificationsBeforeV6() {
            TestRoom room = room(RoomVersions.V5);
            room.powerLevels(users(RoomVersions.V5, "'" + BOB + "': 50").replace("{users", "{state_default: 0, users"));
            assertAllowed(send(
                    room,
                    BOB,
                    users(RoomVersions.V5, "'" + BOB + "': 50")
                            .replace("{users", "{state_default: 0, notifications: {room: 99}, users")));
        }

        @ParameterizedTest
        @MethodSource("dev.myelin.core.auth.EventAuthorizerTest#allVersions")
        void rejectsRaisingANotificationLevelAboveTheSendersLevelFromV6(RoomVersion version) {
            if (!version.auth().notificationsPowerLevels()) {
                return;
            }
            TestRoom room = room(version);
            room.powerLevels(users(version, "'" + BOB + "': 50").replace("{users", "{state_default: 0, users"));
            assertRejected(
                    send(
                            room,
                            BOB,
                            users(version, "'" + BOB + "': 50")
                                    .replace("{users", "{state_default: 0, notifications: {room: 99}, users")),
                    "setting notifications.room to 99");
            assertAllowed(send(
                    room,
                    BOB,
                    users(version, "'" + BOB + "': 50")
                            .replace("{users", "{state_default: 0, notifications: {room: 40}, users")));
        }
    }

    @Nested
    class Users {
        @ParameterizedTest
        @MethodSource("dev.myelin.core.auth.EventAuthorizerTest#allVersions")
        void rejectsChangingAUserAtTheSendersLevel(RoomVersion version) {
            TestRoom room = room(version);
            room.powerLevels(users(version, "'" + BOB + "': 50, '" + CAROL + "': 50")
                    .replace("{users", "{state_default: 0, users"));
            assertRejected(
                    send(
                            room,
                            BOB,
                            users(version, "'" + BOB + "': 50, '" + CAROL + "': 10")
                                    .replace("{users", "{state_default: 0, users")),
                    "changing the level of " + CAROL);
        }

        @ParameterizedTest
        @MethodSource("dev.myelin.core.auth.EventAuthorizerTest#allVersions")
        void rejectsGrantingALevelAboveTheSendersOwn(RoomVersion version) {
            TestRoom room = room(version);
            room.powerLevels(users(version, "'" + BOB + "': 50").replace("{users", "{state_default: 0, users"));
            assertRejected(
                    send(
                            room,
                            BOB,
                            users(version, "'" + BOB + "': 50, '" + CAROL + "': 51")
                                    .replace("{users", "{state_default: 0, users")),
                    "setting the level of " + CAROL + " to 51");
        }

        @ParameterizedTest
        @MethodSource("dev.myelin.core.auth.EventAuthorizerTest#allVersions")
        void allowsLoweringTheSendersOwnLevelAndRaisingOthersToIt(RoomVersion version) {
            TestRoom room = room(version);
            room.powerLevels(users(version, "'" + BOB + "': 50, '" + CAROL + "': 10")
                    .replace("{users", "{state_default: 0, users"));
            assertAllowed(send(
                    room,
                    BOB,
                    users(version, "'" + BOB + "': 20, '" + CAROL + "': 50")
                            .replace("{users", "{state_default: 0, users")));
        }
    }

    @Nested
    class CreatorsInV12 {
        @Test
        void rejectsPowerLevelsListingTheCreator() {
            TestRoom room = room(RoomVersions.V12);
            assertRejected(
                    send(room, ALICE, "{users: {'" + ALICE + "': 100}}"), "users names the room creator " + ALICE);
        }

        @Test
        void rejectsPowerLevelsListingAnAdditionalCreator() {
            TestRoom room = TestRoom.empty(RoomVersions.V12);
            room.send(room.createEvent(
                    ALICE, c -> c.putArray("additional_creators").add(BOB)));
            room.member(ALICE, "join");
            // even the first power levels event may not list a creator
            assertRejected(send(room, ALICE, "{users: {'" + BOB + "': 50}}"), "users names the room creator " + BOB);
        }

        @Test
        void letsACreatorSetAnyLevel() {
            TestRoom room = room(RoomVersions.V12);
            assertAllowed(send(room, ALICE, "{ban: 9007199254740991, users: {'" + BOB + "': 9007199254740991}}"));
        }

        @Test
        void allowsListingTheCreatorBeforeV12() {
            TestRoom room = room(RoomVersions.V11);
            assertAllowed(send(room, ALICE, "{users: {'" + ALICE + "': 100}}"));
        }
    }
}
