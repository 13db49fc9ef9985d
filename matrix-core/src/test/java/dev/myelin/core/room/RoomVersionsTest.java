package dev.myelin.core.room;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class RoomVersionsTest {

    @Test
    void knowsVersionsOneToTwelve() {
        assertThat(RoomVersions.all())
                .extracting(RoomVersion::id)
                .containsExactly("1", "2", "3", "4", "5", "6", "7", "8", "9", "10", "11", "12");
        assertThat(RoomVersions.find("13")).isEmpty();
        assertThat(RoomVersions.find("org.example.custom")).isEmpty();
    }

    @Test
    void defaultIsVersionTenOrNewerAndStable() {
        assertThat(Integer.parseInt(RoomVersions.DEFAULT.id())).isGreaterThanOrEqualTo(10);
        assertThat(RoomVersions.DEFAULT.stable()).isTrue();
    }

    @Test
    void eventFormatsFollowTheSpec() {
        assertThat(RoomVersions.V2.eventFormat()).isEqualTo(EventFormat.V1);
        assertThat(RoomVersions.V3.eventFormat()).isEqualTo(EventFormat.V3);
        assertThat(RoomVersions.V11.eventFormat()).isEqualTo(EventFormat.V4);
        assertThat(RoomVersions.V12.eventFormat()).isEqualTo(EventFormat.V12);
    }

    @Test
    void stateResolutionAlgorithmPerVersion() {
        assertThat(RoomVersions.V1.stateResolution()).isEqualTo(StateResolutionAlgorithm.V1);
        assertThat(RoomVersions.V2.stateResolution()).isEqualTo(StateResolutionAlgorithm.V2);
        assertThat(RoomVersions.V11.stateResolution()).isEqualTo(StateResolutionAlgorithm.V2);
        assertThat(RoomVersions.V12.stateResolution()).isEqualTo(StateResolutionAlgorithm.V2_1);
    }

    @Test
    void ruleFlagsSwitchOnAtTheRightVersion() {
        assertThat(RoomVersions.V2.auth().redactionSenderDomainCheck()).isTrue();
        assertThat(RoomVersions.V3.auth().redactionSenderDomainCheck()).isFalse();
        assertThat(RoomVersions.V4.enforceKeyValidity()).isFalse();
        assertThat(RoomVersions.V5.enforceKeyValidity()).isTrue();
        assertThat(RoomVersions.V5.auth().specialCaseAliases()).isTrue();
        assertThat(RoomVersions.V6.auth().specialCaseAliases()).isFalse();
        assertThat(RoomVersions.V6.strictCanonicalJson()).isTrue();
        assertThat(RoomVersions.V6.auth().notificationsPowerLevels()).isTrue();
        assertThat(RoomVersions.V6.auth().knocking()).isFalse();
        assertThat(RoomVersions.V7.auth().knocking()).isTrue();
        assertThat(RoomVersions.V7.auth().restrictedJoins()).isFalse();
        assertThat(RoomVersions.V8.auth().restrictedJoins()).isTrue();
        assertThat(RoomVersions.V9.auth().knockRestrictedJoins()).isFalse();
        assertThat(RoomVersions.V10.auth().knockRestrictedJoins()).isTrue();
        assertThat(RoomVersions.V9.auth().integerPowerLevels()).isFalse();
        assertThat(RoomVersions.V10.auth().integerPowerLevels()).isTrue();
        assertThat(RoomVersions.V10.auth().implicitRoomCreator()).isFalse();
        assertThat(RoomVersions.V11.auth().implicitRoomCreator()).isTrue();
        assertThat(RoomVersions.V11.redactsInContent()).isTrue();
        assertThat(RoomVersions.V11.auth().creatorsHaveInfinitePower()).isFalse();
        assertThat(RoomVersions.V12.auth().creatorsHaveInfinitePower()).isTrue();
    }

    @Test
    void redactionRulesAccumulateAcrossVersions() {
        assertThat(RoomVersions.V5.redaction().contentKeysFor("m.room.aliases")).containsExactly("aliases");
        assertThat(RoomVersions.V6.redaction().contentKeysFor("m.room.aliases")).isEmpty();
        assertThat(RoomVersions.V7.redaction().contentKeysFor("m.room.join_rules"))
                .containsExactly("join_rule");
        assertThat(RoomVersions.V8.redaction().contentKeysFor("m.room.join_rules"))
                .containsExactlyInAnyOrder("join_rule", "allow");
        assertThat(RoomVersions.V8.redaction().contentKeysFor("m.room.member")).containsExactly("membership");
        assertThat(RoomVersions.V9.redaction().contentKeysFor("m.room.member"))
                .containsExactlyInAnyOrder("membership", "join_authorised_via_users_server");
        assertThat(RoomVersions.V10.redaction().topLevelKeys()).contains("origin", "membership", "prev_state");
        assertThat(RoomVersions.V11.redaction().topLevelKeys()).doesNotContain("origin", "membership", "prev_state");
        assertThat(RoomVersions.V11.redaction().keepAllCreateContent()).isTrue();
        assertThat(RoomVersions.V11.redaction().contentKeysFor("m.room.power_levels"))
                .contains("invite");
        assertThat(RoomVersions.V11.redaction().contentKeysFor("m.room.redaction"))
                .containsExactly("redacts");
        assertThat(RoomVersions.V12.redaction()).isEqualTo(RoomVersions.V11.redaction());
    }
}
