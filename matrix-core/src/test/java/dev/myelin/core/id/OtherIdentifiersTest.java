package dev.myelin.core.id;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

class OtherIdentifiersTest {

    @Nested
    class RoomIds {
        @Test
        void parsesRoomIdWithServer() {
            RoomId id = RoomId.parse("!abc:example.org");
            assertThat(id.server()).map(ServerName::value).hasValue("example.org");
            assertThat(id.createEventId()).isEmpty();
        }

        @Test
        void parsesDomainlessRoomIdOfVersion12() {
            String hash = "31hneApxJ_1o-63DmFrpeqnkFfWppnzWso1JvH3ogLM";
            RoomId id = RoomId.parse("!" + hash);
            assertThat(id.server()).isEmpty();
            assertThat(id.createEventId()).map(EventId::value).hasValue("$" + hash);
            assertThat(RoomId.fromCreateEvent(EventId.parse("$" + hash))).isEqualTo(id);
        }

        @Test
        void createsAlphanumericRoomIds() {
            assertThat(RoomId.of("AbC123", ServerName.parse("example.org")).value())
                    .isEqualTo("!AbC123:example.org");
            assertThatThrownBy(() -> RoomId.of("a b", ServerName.parse("example.org")))
                    .hasMessageContaining("opaque part");
        }

        @Test
        void rejectsBadRoomIds() {
            assertThatThrownBy(() -> RoomId.parse("#abc:example.org")).hasMessageContaining("must start with '!'");
            assertThatThrownBy(() -> RoomId.parse("!")).hasMessageContaining("must not be empty");
            assertThatThrownBy(() -> RoomId.parse("!abc")).hasMessageContaining("hash of its create event");
            assertThatThrownBy(() -> RoomId.parse("!" + "a".repeat(42) + "+"))
                    .hasMessageContaining("hash of its create event");
            assertThatThrownBy(() -> RoomId.parse("!abc:bad host")).hasMessageContaining("server name");
            assertThatThrownBy(() -> RoomId.parse("!" + "a".repeat(250) + ":example.org"))
                    .hasMessageContaining("255 bytes");
        }

        @Test
        void onlyHashEventIdsBecomeRoomIds() {
            assertThatThrownBy(() -> RoomId.fromCreateEvent(EventId.parse("$abc:example.org")))
                    .hasMessageContaining("hash-based");
        }
    }

    @Nested
    class EventIds {
        @Test
        void recognisesEachFormat() {
            EventId v1 = EventId.parse("$abc:example.org");
            assertThat(v1.hasServerPart()).isTrue();
            assertThat(v1.server()).map(ServerName::value).hasValue("example.org");

            EventId v3 = EventId.parse("$acR1l0raoZnm60CBwAVgqbZqoO/mYU81xysh1u7XcJk");
            assertThat(v3.isStandardBase64Hash()).isTrue();
            assertThat(v3.isUrlSafeBase64Hash()).isFalse();

            EventId v4 = EventId.parse("$Rqnc-F-dvnEYJTyHq_iKxU2bZ1CI92-kuZq3a5lr5Zg");
            assertThat(v4.isUrlSafeBase64Hash()).isTrue();
            assertThat(v4.isStandardBase64Hash()).isFalse();
            assertThat(v4.hasServerPart()).isFalse();
        }

        @Test
        void rejectsBadEventIds() {
            assertThatThrownBy(() -> EventId.parse("abc")).hasMessageContaining("must start with '$'");
            assertThatThrownBy(() -> EventId.parse("$")).hasMessageContaining("must not be empty");
            assertThatThrownBy(() -> EventId.parse("$a\0b")).hasMessageContaining("NUL");
            assertThatThrownBy(() -> EventId.parse("$" + "a".repeat(255))).hasMessageContaining("255 bytes");
        }
    }

    @Nested
    class RoomAliases {
        @Test
        void parsesUnicodeAliases() {
            RoomAlias alias = RoomAlias.parse("#café:example.org");
            assertThat(alias.localpart()).isEqualTo("café");
            assertThat(alias.toString()).isEqualTo("#café:example.org");
        }

        @Test
        void rejectsBadAliases() {
            assertThatThrownBy(() -> RoomAlias.parse("!a:example.org")).hasMessageContaining("must start with '#'");
            assertThatThrownBy(() -> RoomAlias.parse("#:example.org")).hasMessageContaining("must not be empty");
            assertThatThrownBy(() -> RoomAlias.parse("#abc")).hasMessageContaining("must contain ':'");
        }
    }

    @Nested
    class DeviceIds {
        @Test
        void acceptsOpaqueStrings() {
            assertThat(DeviceId.parse("ABCDEFGHIJ").value()).isEqualTo("ABCDEFGHIJ");
        }

        @Test
        void rejectsEmptyOrNul() {
            assertThatThrownBy(() -> DeviceId.parse("")).hasMessageContaining("must not be empty");
            assertThatThrownBy(() -> DeviceId.parse("a\0")).hasMessageContaining("NUL");
        }
    }

    @Nested
    class SigningKeyIds {
        @Test
        void parsesAlgorithmAndVersion() {
            SigningKeyId id = SigningKeyId.parse("ed25519:a_AbC1");
            assertThat(id.algorithm()).isEqualTo("ed25519");
            assertThat(id.version()).isEqualTo("a_AbC1");
            assertThat(id.toString()).isEqualTo("ed25519:a_AbC1");
        }

        @Test
        void rejectsBadKeyIds() {
            assertThatThrownBy(() -> SigningKeyId.parse("ed25519")).hasMessageContaining("algorithm:version");
            assertThatThrownBy(() -> SigningKeyId.parse("ed25519:")).hasMessageContaining("version must not be empty");
            assertThatThrownBy(() -> SigningKeyId.parse("ed25519:a-b")).hasMessageContaining("[a-zA-Z0-9_]");
            assertThatThrownBy(() -> SigningKeyId.parse(":abc")).hasMessageContaining("algorithm must not be empty");
        }
    }
}
