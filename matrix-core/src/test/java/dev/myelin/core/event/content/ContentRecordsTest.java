package dev.myelin.core.event.content;

import static dev.myelin.core.event.content.PowerLevelsContentTest.json;
import static org.assertj.core.api.Assertions.assertThat;

import dev.myelin.core.id.RoomAlias;
import dev.myelin.core.id.RoomId;
import dev.myelin.core.id.UserId;
import dev.myelin.core.room.RoomVersions;
import java.util.Optional;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

class ContentRecordsTest {

    @Nested
    class Create {
        @Test
        void appliesDefaultsForAbsentKeys() {
            CreateContent content = CreateContent.from(json("{}"), RoomVersions.V10);
            assertThat(content.roomVersion()).isEqualTo("1");
            assertThat(content.federate()).isTrue();
            assertThat(content.creator()).isEmpty();
            assertThat(content.predecessor()).isEmpty();
            assertThat(content.additionalCreators()).isEmpty();
        }

        @Test
        void readsEveryKey() {
            CreateContent content = CreateContent.from(json("""
                    {"creator": "@a:x.test", "room_version": "10", "m.federate": false, "type": "m.space",
                     "predecessor": {"room_id": "!old:x.test", "event_id": "$last:x.test"}}"""), RoomVersions.V10);
            assertThat(content.creator()).hasValue(UserId.parse("@a:x.test"));
            assertThat(content.roomVersion()).isEqualTo("10");
            assertThat(content.federate()).isFalse();
            assertThat(content.type()).hasValue("m.space");
            assertThat(content.predecessor()).hasValueSatisfying(p -> {
                assertThat(p.roomId()).isEqualTo(RoomId.parse("!old:x.test"));
                assertThat(p.eventId()).isPresent();
            });
        }

        @Test
        void ignoresCreatorFromV11AndReadsAdditionalCreatorsInV12() {
            String text = "{\"creator\": \"@a:x.test\", \"additional_creators\": [\"@b:x.test\", \"junk\", 3]}";
            assertThat(CreateContent.from(json(text), RoomVersions.V11).creator())
                    .isEmpty();
            assertThat(CreateContent.from(json(text), RoomVersions.V11).additionalCreators())
                    .isEmpty();
            assertThat(CreateContent.from(json(text), RoomVersions.V12).additionalCreators())
                    .containsExactly(UserId.parse("@b:x.test"));
        }
    }

    @Nested
    class Member {
        @Test
        void readsMembershipAndProfile() {
            MemberContent content = MemberContent.from(json("""
                    {"membership": "knock", "displayname": "Bob", "avatar_url": "mxc://x.test/a",
                     "is_direct": true, "reason": "hi", "join_authorised_via_users_server": "@c:x.test"}"""));
            assertThat(content.membership()).hasValue(Membership.KNOCK);
            assertThat(content.displayname()).hasValue("Bob");
            assertThat(content.avatarUrl()).hasValue("mxc://x.test/a");
            assertThat(content.isDirect()).isTrue();
            assertThat(content.reason()).hasValue("hi");
            assertThat(content.joinAuthorisedViaUsersServer()).hasValue(UserId.parse("@c:x.test"));
        }

        @Test
        void readsUnknownMembershipAsEmpty() {
            assertThat(MemberContent.from(json("{\"membership\": \"lurk\"}")).membership())
                    .isEmpty();
            assertThat(MemberContent.from(json("{}")).membership()).isEmpty();
        }

        @Test
        void readsTheSignedBlockOfAThirdPartyInvite() {
            MemberContent content = MemberContent.from(json("""
                    {"membership": "invite", "third_party_invite": {"display_name": "b...",
                     "signed": {"mxid": "@b:x.test", "token": "tok", "signatures": {}}}}"""));
            assertThat(content.thirdPartyInvite()).hasValueSatisfying(invite -> {
                assertThat(invite.displayName()).hasValue("b...");
                assertThat(invite.signed()).hasValueSatisfying(signed -> {
                    assertThat(signed.mxid()).isEqualTo("@b:x.test");
                    assertThat(signed.token()).isEqualTo("tok");
                    assertThat(signed.json().has("signatures")).isTrue();
                });
            });
        }
    }

    @Nested
    class JoinRules {
        @Test
        void readsKnownRulesAsConstants() {
            assertThat(JoinRulesContent.from(json("{\"join_rule\": \"knock_restricted\"}"))
                            .joinRule())
                    .hasValue(JoinRule.KNOCK_RESTRICTED);
            assertThat(JoinRule.of("private").isKnown()).isTrue();
        }

        @Test
        void keepsUnknownRules() {
            JoinRule rule = JoinRulesContent.from(json("{\"join_rule\": \"org.example.lottery\"}"))
                    .joinRule()
                    .orElseThrow();
            assertThat(rule).isEqualTo(JoinRule.unknown("org.example.lottery"));
            assertThat(rule.isKnown()).isFalse();
        }

        @Test
        void readsTheAllowList() {
            JoinRulesContent content = JoinRulesContent.from(json("""
                    {"join_rule": "restricted", "allow": [{"type": "m.room_membership", "room_id": "!s:x.test"},
                     {"type": "org.example"}, "junk"]}"""));
            assertThat(content.allow())
                    .containsExactly(
                            new JoinRulesContent.AllowCondition(
                                    "m.room_membership", Optional.of(RoomId.parse("!s:x.test"))),
                            new JoinRulesContent.AllowCondition("org.example", Optional.empty()));
        }
    }

    @Nested
    class OtherStateContent {
        @Test
        void readsThirdPartyInviteKeysInOrder() {
            ThirdPartyInviteContent content = ThirdPartyInviteContent.from(json("""
                    {"display_name": "b...", "key_validity_url": "https://id.test", "public_key": "k1",
                     "public_keys": [{"public_key": "k2", "key_validity_url": "https://id.test/2"}, {}]}"""));
            assertThat(content.allPublicKeys()).containsExactly("k1", "k2");
            assertThat(content.publicKeys().get(0).keyValidityUrl()).hasValue("https://id.test/2");
        }

        @Test
        void treatsUnknownHistoryVisibilityAsShared() {
            assertThat(HistoryVisibilityContent.from(json("{\"history_visibility\": \"joined\"}"))
                            .historyVisibility())
                    .isEqualTo(HistoryVisibility.JOINED);
            assertThat(HistoryVisibilityContent.from(json("{\"history_visibility\": \"nobody\"}"))
                            .historyVisibility())
                    .isEqualTo(HistoryVisibility.SHARED);
        }

        @Test
        void treatsUnknownGuestAccessAsForbidden() {
            assertThat(GuestAccessContent.from(json("{\"guest_access\": \"can_join\"}"))
                            .guestAccess())
                    .isEqualTo(GuestAccess.CAN_JOIN);
            assertThat(GuestAccessContent.from(json("{\"guest_access\": \"maybe\"}"))
                            .guestAccess())
                    .isEqualTo(GuestAccess.FORBIDDEN);
        }

        @Test
        void treatsEmptyNameAndTopicAsAbsent() {
            assertThat(NameContent.from(json("{\"name\": \"Room\"}")).name()).hasValue("Room");
            assertThat(NameContent.from(json("{\"name\": \"\"}")).name()).isEmpty();
            assertThat(TopicContent.from(json("{\"topic\": \"\"}")).topic()).isEmpty();
            assertThat(TopicContent.from(json("{\"topic\": \"t\"}")).topic()).hasValue("t");
        }

        @Test
        void dropsInvalidAliases() {
            CanonicalAliasContent content = CanonicalAliasContent.from(
                    json("{\"alias\": \"#a:x.test\", \"alt_aliases\": [\"#b:x.test\", \"nope\"]}"));
            assertThat(content.alias()).hasValue(RoomAlias.parse("#a:x.test"));
            assertThat(content.altAliases()).containsExactly(RoomAlias.parse("#b:x.test"));
        }
    }
}
