package dev.myelin.core.auth;

import static dev.myelin.core.auth.AuthAssertions.assertAllowed;
import static dev.myelin.core.auth.AuthAssertions.assertRejected;
import static dev.myelin.core.auth.TestRoom.ALICE;
import static dev.myelin.core.auth.TestRoom.BOB;
import static dev.myelin.core.auth.TestRoom.CAROL;
import static dev.myelin.core.auth.TestRoom.DAVE;

import dev.myelin.core.event.Pdu;
import dev.myelin.core.room.RoomVersion;
import dev.myelin.core.room.RoomVersions;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The m.room.member rules of every room version: join (incl. restricted joins), invite, leave and
 * kick, ban, knock. The other numbered rules are in {@link EventAuthorizerTest}.
 */
class MembershipAuthRulesTest {

    @Nested
    class MemberRule {
        @ParameterizedTest
        @MethodSource("dev.myelin.core.auth.EventAuthorizerTest#allVersions")
        void rejectsMemberEventWithoutMembership(RoomVersion version) {
            TestRoom room = TestRoom.created(version);
            assertRejected(room.check(room.event("m.room.member", BOB, BOB, "{displayname: 'Bob'}")), "no membership");
        }

        @ParameterizedTest
        @MethodSource("dev.myelin.core.auth.EventAuthorizerTest#allVersions")
        void rejectsMemberEventWithoutStateKey(RoomVersion version) {
            TestRoom room = TestRoom.created(version);
            assertRejected(room.check(room.event("m.room.member", null, BOB, "{membership: 'join'}")), "no state key");
        }

        @ParameterizedTest
        @MethodSource("dev.myelin.core.auth.EventAuthorizerTest#allVersions")
        void rejectsUnknownMembership(RoomVersion version) {
            TestRoom room = TestRoom.created(version);
            assertRejected(
                    room.check(room.event("m.room.member", BOB, BOB, "{membership: 'lurk'}")),
                    "unknown membership 'lurk'");
        }

        @Test
        void treatsKnockAsUnknownMembershipBeforeV7() {
            TestRoom room = TestRoom.created(RoomVersions.V6, "knock");
            assertRejected(
                    room.check(room.event("m.room.member", BOB, BOB, "{membership: 'knock'}")),
                    "unknown membership 'knock'");
        }
    }

    @Nested
    class Join {
        @ParameterizedTest
        @MethodSource("dev.myelin.core.auth.EventAuthorizerTest#allVersions")
        void allowsTheCreatorsJoinRightAfterTheCreateEvent(RoomVersion version) {
            TestRoom room = TestRoom.empty(version);
            room.send(room.createEvent(ALICE, c -> {}));
            assertAllowed(room.check(room.event("m.room.member", ALICE, ALICE, "{membership: 'join'}")));
        }

        @Test
        void usesContentCreatorForTheFirstJoinBeforeV11() {
            TestRoom room = TestRoom.empty(RoomVersions.V10);
            room.send(room.createEvent(ALICE, c -> c.put("creator", BOB)));
            assertAllowed(room.check(room.event("m.room.member", BOB, BOB, "{membership: 'join'}")));
            assertRejected(
                    room.check(room.event("m.room.member", ALICE, ALICE, "{membership: 'join'}")),
                    "m.room.member join");
        }

        @Test
        void usesTheCreateEventSenderForTheFirstJoinFromV11() {
            TestRoom room = TestRoom.empty(RoomVersions.V11);
            room.send(room.createEvent(ALICE, c -> c.put("creator", BOB)));
            assertAllowed(room.check(room.event("m.room.member", ALICE, ALICE, "{membership: 'join'}")));
            assertRejected(
                    room.check(room.event("m.room.member", BOB, BOB, "{membership: 'join'}")), "m.room.member join");
        }

        @ParameterizedTest
        @MethodSource("dev.myelin.core.auth.EventAuthorizerTest#allVersions")
        void rejectsJoinOnBehalfOfAnotherUser(RoomVersion version) {
            TestRoom room = TestRoom.created(version);
            assertRejected(
                    room.check(room.event("m.room.member", BOB, ALICE, "{membership: 'join'}")),
                    "the sender is not the state key");
        }

        @ParameterizedTest
        @MethodSource("dev.myelin.core.auth.EventAuthorizerTest#allVersions")
        void rejectsJoinWhenBanned(RoomVersion version) {
            TestRoom room = TestRoom.created(version).member(BOB, "ban");
            assertRejected(
                    room.check(room.event("m.room.member", BOB, BOB, "{membership: 'join'}")), "the sender is banned");
        }

        @ParameterizedTest
        @MethodSource("dev.myelin.core.auth.EventAuthorizerTest#allVersions")
        void allowsJoinToPublicRoom(RoomVersion version) {
            TestRoom room = TestRoom.created(version, "public");
            assertAllowed(room.check(room.event("m.room.member", BOB, BOB, "{membership: 'join'}")));
        }

        @ParameterizedTest
        @MethodSource("dev.myelin.core.auth.EventAuthorizerTest#allVersions")
        void rejectsJoinToInviteOnlyRoomWithoutInvite(RoomVersion version) {
            TestRoom room = TestRoom.created(version, "invite");
            assertRejected(
                    room.check(room.event("m.room.member", BOB, BOB, "{membership: 'join'}")),
                    "the join rule is invite and the sender is not invited");
        }

        @ParameterizedTest
        @MethodSource("dev.myelin.core.auth.EventAuthorizerTest#allVersions")
        void allowsJoinToInviteOnlyRoomWhenInvited(RoomVersion version) {
            TestRoom room = TestRoom.created(version, "invite").member(BOB, "invite");
            assertAllowed(room.check(room.event("m.room.member", BOB, BOB, "{membership: 'join'}")));
        }

        @ParameterizedTest
        @MethodSource("dev.myelin.core.auth.EventAuthorizerTest#allVersions")
        void rejectsJoinToPrivateRoomOrRoomWithoutJoinRules(RoomVersion version) {
            TestRoom room = TestRoom.created(version, "private").member(BOB, "invite");
            assertRejected(
                    room.check(room.event("m.room.member", BOB, BOB, "{membership: 'join'}")),
                    "the join rule private does not let the sender join");
            TestRoom bare = TestRoom.empty(version);
            bare.send(bare.createEvent(ALICE, c -> {}));
            bare.member(ALICE, "join");
            assertRejected(
                    bare.check(bare.event("m.room.member", BOB, BOB, "{membership: 'join'}")), "the join rule (none)");
        }

        @Test
        void allowsInvitedJoinUnderKnockRuleFromV7() {
            TestRoom room = TestRoom.created(RoomVersions.V7, "knock").member(BOB, "invite");
            assertAllowed(room.check(room.event("m.room.member", BOB, BOB, "{membership: 'join'}")));
        }

        @Test
        void rejectsInvitedJoinUnderKnockRuleBeforeV7() {
            TestRoom room = TestRoom.created(RoomVersions.V6, "knock").member(BOB, "invite");
            assertRejected(
                    room.check(room.event("m.room.member", BOB, BOB, "{membership: 'join'}")),
                    "the join rule knock does not let the sender join");
        }
    }

    @Nested
    class RestrictedJoin {
        private TestRoom restricted(RoomVersion version, String rule) {
            TestRoom room = TestRoom.created(version, rule);
            room.powerLevels(
                    version.auth().creatorsHaveInfinitePower()
                            ? "{invite: 50, users: {'" + CAROL + "': 50, '" + DAVE + "': 0}}"
                            : "{invite: 50, users: {'" + ALICE + "': 100, '" + CAROL + "': 50, '" + DAVE + "': 0}}");
            room.member(CAROL, "join").member(DAVE, "join");
            return room;
        }

        private Pdu joinVia(TestRoom room, String authoriser) {
            return room.event(
                    "m.room.member",
                    BOB,
                    BOB,
                    "{membership: 'join', join_authorised_via_users_server: '" + authoriser + "'}");
        }

        @Test
        void allowsRestrictedJoinAuthorisedByJoinedUserWithInvitePower() {
            TestRoom room = restricted(RoomVersions.V8, "restricted");
            assertAllowed(room.check(joinVia(room, CAROL)));
        }

        @Test
        void rejectsRestrictedJoinAuthorisedByUserWithoutInvitePower() {
            TestRoom room = restricted(RoomVersions.V9, "restricted");
            assertRejected(room.check(joinVia(room, DAVE)), "cannot invite");
        }

        @Test
        void rejectsRestrictedJoinAuthorisedByUserWhoIsNotJoined() {
            TestRoom room = restricted(RoomVersions.V8, "restricted");
            room.member(CAROL, "leave");
            assertRejected(room.check(joinVia(room, CAROL)), "is not joined");
        }

        @Test
        void rejectsRestrictedJoinWithoutAuthorisingUser() {
            TestRoom room = restricted(RoomVersions.V8, "restricted");
            assertRejected(
                    room.check(room.event("m.room.member", BOB, BOB, "{membership: 'join'}")),
                    "join_authorised_via_users_server is not a user id");
        }

        @Test
        void allowsRestrictedJoinWhenInvitedWithoutAuthorisingUser() {
            TestRoom room = restricted(RoomVersions.V8, "restricted").member(BOB, "invite");
            assertAllowed(room.check(room.event("m.room.member", BOB, BOB, "{membership: 'join'}")));
        }

        @Test
        void rejectsRestrictedJoinBeforeV8() {
            TestRoom room = restricted(RoomVersions.V7, "restricted");
            assertRejected(room.check(joinVia(room, CAROL)), "the join rule restricted does not let the sender join");
        }

        @Test
        void allowsKnockRestrictedJoinAuthorisedByJoinedUserFromV10() {
            TestRoom room = restricted(RoomVersions.V10, "knock_restricted");
            assertAllowed(room.check(joinVia(room, CAROL)));
            assertRejected(room.check(joinVia(room, DAVE)), "cannot invite");
        }

        @Test
        void rejectsKnockRestrictedJoinBeforeV10() {
            TestRoom room = restricted(RoomVersions.V9, "knock_restricted");
            assertRejected(room.check(joinVia(room, CAROL)), "does not let the sender join");
        }

        @Test
        void allowsRestrictedJoinAuthorisedByACreatorInV12() {
            TestRoom room = restricted(RoomVersions.V12, "restricted");
            assertAllowed(room.check(joinVia(room, ALICE)));
        }
    }

    @Nested
    class Invite {
        @ParameterizedTest
        @MethodSource("dev.myelin.core.auth.EventAuthorizerTest#allVersions")
        void allowsInviteByJoinedMemberWithInviteLevel(RoomVersion version) {
            TestRoom room = TestRoom.created(version, "invite");
            assertAllowed(room.check(room.event("m.room.member", BOB, ALICE, "{membership: 'invite'}")));
        }

        @ParameterizedTest
        @MethodSource("dev.myelin.core.auth.EventAuthorizerTest#allVersions")
        void rejectsInviteBySenderWhoIsNotJoined(RoomVersion version) {
            TestRoom room = TestRoom.created(version, "invite");
            assertRejected(
                    room.check(room.event("m.room.member", BOB, CAROL, "{membership: 'invite'}")),
                    "m.room.member invite: the sender is not joined");
        }

        @ParameterizedTest
        @MethodSource("dev.myelin.core.auth.EventAuthorizerTest#allVersions")
        void rejectsInviteOfJoinedOrBannedUser(RoomVersion version) {
            TestRoom room = TestRoom.created(version).member(BOB, "join").member(CAROL, "ban");
            assertRejected(
                    room.check(room.event("m.room.member", BOB, ALICE, "{membership: 'invite'}")),
                    "the target is already join");
            assertRejected(
                    room.check(room.event("m.room.member", CAROL, ALICE, "{membership: 'invite'}")),
                    "the target is already ban");
        }

        @ParameterizedTest
        @MethodSource("dev.myelin.core.auth.EventAuthorizerTest#allVersions")
        void rejectsInviteBelowTheInviteLevel(RoomVersion version) {
            TestRoom room = TestRoom.created(version).member(BOB, "join");
            room.powerLevels(
                    version.auth().creatorsHaveInfinitePower()
                            ? "{invite: 50}"
                            : "{invite: 50, users: {'" + ALICE + "': 100}}");
            assertRejected(
                    room.check(room.event("m.room.member", CAROL, BOB, "{membership: 'invite'}")),
                    "below the invite level 50");
        }
    }

    @Nested
    class Leave {
        @ParameterizedTest
        @MethodSource("dev.myelin.core.auth.EventAuthorizerTest#allVersions")
        void allowsLeavingWhenJoinedOrInvited(RoomVersion version) {
            TestRoom room = TestRoom.created(version).member(BOB, "join").member(CAROL, "invite");
            assertAllowed(room.check(room.event("m.room.member", BOB, BOB, "{membership: 'leave'}")));
            assertAllowed(room.check(room.event("m.room.member", CAROL, CAROL, "{membership: 'leave'}")));
        }

        @ParameterizedTest
        @MethodSource("dev.myelin.core.auth.EventAuthorizerTest#allVersions")
        void rejectsLeavingWhenNotInTheRoom(RoomVersion version) {
            TestRoom room = TestRoom.created(version).member(CAROL, "ban");
            assertRejected(
                    room.check(room.event("m.room.member", BOB, BOB, "{membership: 'leave'}")), "nothing to leave");
            assertRejected(
                    room.check(room.event("m.room.member", CAROL, CAROL, "{membership: 'leave'}")),
                    "the sender's membership is ban");
        }

        @Test
        void allowsRetractingAKnockFromV7() {
            TestRoom room = TestRoom.created(RoomVersions.V7, "knock").member(BOB, "knock");
            assertAllowed(room.check(room.event("m.room.member", BOB, BOB, "{membership: 'leave'}")));
        }

        @ParameterizedTest
        @MethodSource("dev.myelin.core.auth.EventAuthorizerTest#allVersions")
        void allowsKickOfLowerUserAtKickLevel(RoomVersion version) {
            TestRoom room = TestRoom.created(version).member(BOB, "join");
            assertAllowed(room.check(room.event("m.room.member", BOB, ALICE, "{membership: 'leave'}")));
        }

        @ParameterizedTest
        @MethodSource("dev.myelin.core.auth.EventAuthorizerTest#allVersions")
        void rejectsKickBySenderWhoIsNotJoined(RoomVersion version) {
            TestRoom room = TestRoom.created(version).member(BOB, "join");
            assertRejected(
                    room.check(room.event("m.room.member", BOB, CAROL, "{membership: 'leave'}")),
                    "m.room.member leave: the sender is not joined");
        }

        @ParameterizedTest
        @MethodSource("dev.myelin.core.auth.EventAuthorizerTest#allVersions")
        void rejectsKickOfUserAtTheSendersLevel(RoomVersion version) {
            TestRoom room = TestRoom.created(version).member(BOB, "join").member(CAROL, "join");
            room.powerLevels(
                    version.auth().creatorsHaveInfinitePower()
                            ? "{users: {'" + BOB + "': 50, '" + CAROL + "': 50}}"
                            : "{users: {'" + ALICE + "': 100, '" + BOB + "': 50, '" + CAROL + "': 50}}");
            assertRejected(
                    room.check(room.event("m.room.member", CAROL, BOB, "{membership: 'leave'}")), "kicking needs");
        }

        @ParameterizedTest
        @MethodSource("dev.myelin.core.auth.EventAuthorizerTest#allVersions")
        void rejectsUnbanBelowTheBanLevel(RoomVersion version) {
            TestRoom room = TestRoom.created(version).member(BOB, "join").member(CAROL, "ban");
            room.powerLevels(
                    version.auth().creatorsHaveInfinitePower()
                            ? "{kick: 10, ban: 60, users: {'" + BOB + "': 50}}"
                            : "{kick: 10, ban: 60, users: {'" + ALICE + "': 100, '" + BOB + "': 50}}");
            assertRejected(
                    room.check(room.event("m.room.member", CAROL, BOB, "{membership: 'leave'}")),
                    "unbanning needs the ban level 60");
            assertAllowed(room.check(room.event("m.room.member", CAROL, ALICE, "{membership: 'leave'}")));
        }
    }

    @Nested
    class Ban {
        @ParameterizedTest
        @MethodSource("dev.myelin.core.auth.EventAuthorizerTest#allVersions")
        void allowsBanOfLowerUserAtBanLevel(RoomVersion version) {
            TestRoom room = TestRoom.created(version);
            assertAllowed(room.check(room.event("m.room.member", BOB, ALICE, "{membership: 'ban'}")));
        }

        @ParameterizedTest
        @MethodSource("dev.myelin.core.auth.EventAuthorizerTest#allVersions")
        void rejectsBanBySenderWhoIsNotJoined(RoomVersion version) {
            TestRoom room = TestRoom.created(version);
            assertRejected(
                    room.check(room.event("m.room.member", CAROL, BOB, "{membership: 'ban'}")),
                    "m.room.member ban: the sender is not joined");
        }

        @ParameterizedTest
        @MethodSource("dev.myelin.core.auth.EventAuthorizerTest#allVersions")
        void rejectsBanBelowTheBanLevelOrOfAnEqual(RoomVersion version) {
            TestRoom room = TestRoom.created(version).member(BOB, "join").member(CAROL, "join");
            room.powerLevels(
                    version.auth().creatorsHaveInfinitePower()
                            ? "{users: {'" + BOB + "': 40}}"
                            : "{users: {'" + ALICE + "': 100, '" + BOB + "': 40}}");
            assertRejected(
                    room.check(room.event("m.room.member", CAROL, BOB, "{membership: 'ban'}")),
                    "banning needs the ban level 50");
            assertRejected(room.check(room.event("m.room.member", BOB, CAROL, "{membership: 'ban'}")), "banning needs");
        }
    }

    @Nested
    class Knock {
        @ParameterizedTest
        @MethodSource("dev.myelin.core.auth.EventAuthorizerTest#allVersions")
        void allowsKnockUnderKnockRuleFromV7(RoomVersion version) {
            if (!version.auth().knocking()) {
                return;
            }
            TestRoom room = TestRoom.created(version, "knock");
            assertAllowed(room.check(room.event("m.room.member", BOB, BOB, "{membership: 'knock'}")));
        }

        @Test
        void rejectsKnockUnderPublicRule() {
            TestRoom room = TestRoom.created(RoomVersions.V7, "public");
            assertRejected(
                    room.check(room.event("m.room.member", BOB, BOB, "{membership: 'knock'}")),
                    "the join rule public does not allow knocking");
        }

        @Test
        void rejectsKnockOnBehalfOfAnotherUser() {
            TestRoom room = TestRoom.created(RoomVersions.V7, "knock");
            assertRejected(
                    room.check(room.event("m.room.member", BOB, ALICE, "{membership: 'knock'}")),
                    "m.room.member knock: the sender is not the state key");
        }

        @Test
        void rejectsKnockWhenInvitedJoinedOrBanned() {
            TestRoom room = TestRoom.created(RoomVersions.V9, "knock")
                    .member(BOB, "invite")
                    .member(CAROL, "ban");
            assertRejected(
                    room.check(room.event("m.room.member", BOB, BOB, "{membership: 'knock'}")), "already invite");
            assertRejected(
                    room.check(room.event("m.room.member", CAROL, CAROL, "{membership: 'knock'}")), "already ban");
            assertRejected(
                    room.check(room.event("m.room.member", ALICE, ALICE, "{membership: 'knock'}")), "already join");
        }

        @Test
        void allowsKnockUnderKnockRestrictedRuleFromV10() {
            TestRoom room = TestRoom.created(RoomVersions.V10, "knock_restricted");
            assertAllowed(room.check(room.event("m.room.member", BOB, BOB, "{membership: 'knock'}")));
        }

        @Test
        void rejectsKnockUnderKnockRestrictedRuleBeforeV10() {
            TestRoom room = TestRoom.created(RoomVersions.V9, "knock_restricted");
            assertRejected(
                    room.check(room.event("m.room.member", BOB, BOB, "{membership: 'knock'}")),
                    "does not allow knocking");
        }
    }
}
