package dev.myelin.core.auth;

import static dev.myelin.core.auth.TestRoom.ALICE;
import static dev.myelin.core.auth.TestRoom.BOB;
import static dev.myelin.core.auth.TestRoom.CAROL;
import static org.assertj.core.api.Assertions.assertThat;

import dev.myelin.core.id.UserId;
import dev.myelin.core.room.RoomVersions;
import org.junit.jupiter.api.Test;

class AuthEventSelectionTest {
    private static final StateTuple BOBS_MEMBER = StateTuple.member(BOB);

    @Test
    void selectsNothingForTheCreateEvent() {
        assertThat(AuthEventSelection.select(
                        "m.room.create", "", UserId.parse(ALICE), TestRoom.json("{}"), RoomVersions.V10))
                .isEmpty();
    }

    @Test
    void selectsCreatePowerLevelsAndSenderForAMessage() {
        assertThat(AuthEventSelection.select(
                        "m.room.message", null, UserId.parse(BOB), TestRoom.json("{body: 'hi'}"), RoomVersions.V10))
                .containsExactly(StateTuple.CREATE, StateTuple.POWER_LEVELS, BOBS_MEMBER);
    }

    @Test
    void neverSelectsTheCreateEventInV12() {
        assertThat(AuthEventSelection.select(
                        "m.room.message", null, UserId.parse(BOB), TestRoom.json("{}"), RoomVersions.V12))
                .containsExactly(StateTuple.POWER_LEVELS, BOBS_MEMBER);
    }

    @Test
    void selectsTargetAndJoinRulesForAnInvite() {
        assertThat(AuthEventSelection.select(
                        "m.room.member",
                        BOB,
                        UserId.parse(ALICE),
                        TestRoom.json("{membership: 'invite'}"),
                        RoomVersions.V10))
                .containsExactly(
                        StateTuple.CREATE,
                        StateTuple.POWER_LEVELS,
                        StateTuple.member(ALICE),
                        BOBS_MEMBER,
                        StateTuple.JOIN_RULES);
    }

    @Test
    void selectsNoJoinRulesForALeave() {
        assertThat(AuthEventSelection.select(
                        "m.room.member",
                        BOB,
                        UserId.parse(BOB),
                        TestRoom.json("{membership: 'leave'}"),
                        RoomVersions.V10))
                .containsExactly(StateTuple.CREATE, StateTuple.POWER_LEVELS, BOBS_MEMBER);
    }

    @Test
    void selectsTheThirdPartyInviteNamedByTheToken() {
        assertThat(AuthEventSelection.select(
                        "m.room.member",
                        BOB,
                        UserId.parse(ALICE),
                        TestRoom.json("{membership: 'invite', third_party_invite: {signed: {mxid: '" + BOB
                                + "', token: 'tok'}}}"),
                        RoomVersions.V1))
                .contains(new StateTuple("m.room.third_party_invite", "tok"));
    }

    @Test
    void selectsTheAuthorisingUsersMemberForARestrictedJoinFromV8() {
        String content = "{membership: 'join', join_authorised_via_users_server: '" + CAROL + "'}";
        assertThat(AuthEventSelection.select(
                        "m.room.member", BOB, UserId.parse(BOB), TestRoom.json(content), RoomVersions.V8))
                .contains(StateTuple.member(CAROL));
        assertThat(AuthEventSelection.select(
                        "m.room.member", BOB, UserId.parse(BOB), TestRoom.json(content), RoomVersions.V7))
                .doesNotContain(StateTuple.member(CAROL));
    }

    @Test
    void selectsJoinRulesForAKnock() {
        assertThat(AuthEventSelection.select(
                        "m.room.member",
                        BOB,
                        UserId.parse(BOB),
                        TestRoom.json("{membership: 'knock'}"),
                        RoomVersions.V7))
                .contains(StateTuple.JOIN_RULES);
    }
}
