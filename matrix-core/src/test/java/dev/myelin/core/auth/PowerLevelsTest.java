package dev.myelin.core.auth;

import static dev.myelin.core.auth.TestRoom.ALICE;
import static dev.myelin.core.auth.TestRoom.BOB;
import static dev.myelin.core.auth.TestRoom.CAROL;
import static org.assertj.core.api.Assertions.assertThat;

import dev.myelin.core.id.UserId;
import dev.myelin.core.room.RoomVersions;
import org.junit.jupiter.api.Test;

class PowerLevelsTest {
    private static final UserId A = UserId.parse(ALICE);
    private static final UserId B = UserId.parse(BOB);
    private static final UserId C = UserId.parse(CAROL);

    @Test
    void givesTheCreator100AndOthers0WithoutPowerLevelsBeforeV12() {
        TestRoom room = TestRoom.empty(RoomVersions.V10);
        room.send(room.createEvent(ALICE, c -> {}));
        PowerLevels levels = PowerLevels.from(room.state(), RoomVersions.V10);
        assertThat(levels.userLevel(A)).isEqualTo(100);
        assertThat(levels.userLevel(B)).isZero();
        assertThat(levels.content()).isEmpty();
    }

    @Test
    void usesTheSpecDefaultsWithoutPowerLevels() {
        PowerLevels levels = PowerLevels.from(AuthState.empty(), RoomVersions.V10);
        assertThat(levels.eventLevel("m.room.name", true)).isEqualTo(50);
        assertThat(levels.eventLevel("m.room.message", false)).isZero();
        assertThat(levels.invite()).isZero();
        assertThat(levels.kick()).isEqualTo(50);
        assertThat(levels.ban()).isEqualTo(50);
        assertThat(levels.redact()).isEqualTo(50);
        assertThat(levels.notificationLevel("room")).hasValue(50);
        assertThat(levels.notificationLevel("other")).isEmpty();
    }

    @Test
    void readsLevelsFromThePowerLevelsEvent() {
        TestRoom room = TestRoom.created(RoomVersions.V10);
        room.powerLevels("{users_default: 5, users: {'" + BOB + "': 70}, events: {'m.room.name': 20}, kick: 30,"
                + " notifications: {room: 10}}");
        PowerLevels levels = PowerLevels.from(room.state(), RoomVersions.V10);
        assertThat(levels.userLevel(A)).as("creator not listed any more").isEqualTo(5);
        assertThat(levels.userLevel(B)).isEqualTo(70);
        assertThat(levels.eventLevel("m.room.name", true)).isEqualTo(20);
        assertThat(levels.kick()).isEqualTo(30);
        assertThat(levels.notificationLevel("room")).hasValue(10);
    }

    @Test
    void givesCreatorsInfinitePowerInV12WhateverThePowerLevelsSay() {
        TestRoom room = TestRoom.empty(RoomVersions.V12);
        room.send(room.createEvent(ALICE, c -> c.putArray("additional_creators").add(BOB)));
        room.send(room.event("m.room.power_levels", "", ALICE, "{users: {'" + ALICE + "': 1}, users_default: 3}"));
        PowerLevels levels = PowerLevels.from(room.state(), RoomVersions.V12);
        assertThat(levels.creators()).containsExactlyInAnyOrder(A, B);
        assertThat(levels.userLevel(A)).isEqualTo(PowerLevels.INFINITE);
        assertThat(levels.userLevel(B)).isEqualTo(PowerLevels.INFINITE);
        assertThat(levels.userLevel(C)).isEqualTo(3);
    }

    @Test
    void namesTheCreatorByVersion() {
        TestRoom v10 = TestRoom.empty(RoomVersions.V10);
        assertThat(PowerLevels.creators(v10.createEvent(ALICE, c -> c.put("creator", BOB))))
                .containsExactly(B);
        TestRoom v11 = TestRoom.empty(RoomVersions.V11);
        assertThat(PowerLevels.creators(v11.createEvent(ALICE, c -> c.put("creator", BOB))))
                .containsExactly(A);
    }
}
