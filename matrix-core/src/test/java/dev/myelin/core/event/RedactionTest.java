package dev.myelin.core.event;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.myelin.core.json.CanonicalJson;
import dev.myelin.core.room.RoomVersion;
import dev.myelin.core.room.RoomVersions;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The redaction algorithm for each family of room versions: v1–v5, v6–v7, v8, v9–v10 and v11–v12.
 * Each test runs over every known version and names the versions where the key survives.
 */
class RedactionTest {
    static final Set<String> ALL = Set.of("1", "2", "3", "4", "5", "6", "7", "8", "9", "10", "11", "12");
    static final Set<String> UP_TO_5 = Set.of("1", "2", "3", "4", "5");
    static final Set<String> UP_TO_10 = Set.of("1", "2", "3", "4", "5", "6", "7", "8", "9", "10");
    static final Set<String> FROM_8 = Set.of("8", "9", "10", "11", "12");
    static final Set<String> FROM_9 = Set.of("9", "10", "11", "12");
    static final Set<String> FROM_11 = Set.of("11", "12");

    static List<RoomVersion> versions() {
        return RoomVersions.all();
    }

    /** An event of {@code type} carrying every top-level key the redaction rules mention. */
    static ObjectNode event(String type, String content) {
        ObjectNode event = (ObjectNode) CanonicalJson.parse("""
                {
                  "event_id": "$e:example.org", "type": "%s", "room_id": "!r:example.org",
                  "sender": "@u:example.org", "state_key": "", "content": %s,
                  "hashes": {"sha256": "abc"}, "signatures": {"example.org": {"ed25519:1": "sig"}},
                  "depth": 4, "prev_events": [], "prev_state": [], "auth_events": [],
                  "origin": "example.org", "origin_server_ts": 1234, "membership": "join",
                  "unsigned": {"age": 5, "transaction_id": "t"}, "redacts": "$x:example.org",
                  "custom": "dropped"
                }""".formatted(type, content));
        return event;
    }

    static Set<String> keys(com.fasterxml.jackson.databind.JsonNode node) {
        return StreamSupport.stream(node.properties().spliterator(), false)
                .map(java.util.Map.Entry::getKey)
                .collect(Collectors.toSet());
    }

    @ParameterizedTest
    @MethodSource("versions")
    void keepsOnlyTheEssentialTopLevelKeys(RoomVersion version) {
        ObjectNode redacted = Redaction.redact(event("m.room.message", "{\"body\":\"hi\"}"), version);

        Set<String> expected = new java.util.HashSet<>(Set.of(
                "event_id",
                "type",
                "room_id",
                "sender",
                "state_key",
                "content",
                "hashes",
                "signatures",
                "depth",
                "prev_events",
                "auth_events",
                "origin_server_ts"));
        if (UP_TO_10.contains(version.id())) {
            expected.addAll(Set.of("origin", "membership", "prev_state"));
        }
        assertThat(keys(redacted)).containsExactlyInAnyOrderElementsOf(expected);
        assertThat(redacted.path("content").isEmpty()).isTrue();
        assertThat(redacted.path("signatures")
                        .path("example.org")
                        .path("ed25519:1")
                        .textValue())
                .isEqualTo("sig");
    }

    @ParameterizedTest
    @MethodSource("versions")
    void dropsUnsignedEntirely(RoomVersion version) {
        assertThat(Redaction.redact(event("m.room.message", "{}"), version).has("unsigned"))
                .isFalse();
    }

    @ParameterizedTest
    @MethodSource("versions")
    void keepsCreatorOnlyUntilV11ThenAllCreateContent(RoomVersion version) {
        ObjectNode redacted = Redaction.redact(
                event(
                        "m.room.create",
                        "{\"creator\":\"@u:example.org\",\"room_version\":\"1\",\"m.federate\":false,\"predecessor\":{}}"),
                version);

        if (FROM_11.contains(version.id())) {
            assertThat(keys(redacted.get("content")))
                    .containsExactlyInAnyOrder("creator", "room_version", "m.federate", "predecessor");
        } else {
            assertThat(keys(redacted.get("content"))).containsExactly("creator");
        }
    }

    @ParameterizedTest
    @MethodSource("versions")
    void keepsMemberKeysPerVersion(RoomVersion version) {
        ObjectNode redacted = Redaction.redact(event("m.room.member", """
                {"membership":"join","displayname":"U","avatar_url":"mxc://a/b",
                 "join_authorised_via_users_server":"@admin:example.org",
                 "third_party_invite":{"display_name":"u...","signed":{"mxid":"@u:example.org","token":"t"}}}"""), version);

        Set<String> expected = new java.util.HashSet<>(Set.of("membership"));
        if (FROM_9.contains(version.id())) {
            expected.add("join_authorised_via_users_server");
        }
        if (FROM_11.contains(version.id())) {
            expected.add("third_party_invite");
        }
        assertThat(keys(redacted.get("content"))).containsExactlyInAnyOrderElementsOf(expected);
        if (FROM_11.contains(version.id())) {
            assertThat(keys(redacted.path("content").path("third_party_invite")))
                    .containsExactly("signed");
            assertThat(redacted.path("content")
                            .path("third_party_invite")
                            .path("signed")
                            .path("token")
                            .textValue())
                    .isEqualTo("t");
        }
    }

    @ParameterizedTest
    @MethodSource("versions")
    void keepsPowerLevelsAndInviteFromV11(RoomVersion version) {
        ObjectNode redacted = Redaction.redact(event("m.room.power_levels", """
                {"ban":50,"events":{"m.room.name":50},"events_default":0,"invite":0,"kick":50,"redact":50,
                 "state_default":50,"users":{"@u:example.org":100},"users_default":0,"notifications":{"room":50}}"""), version);

        Set<String> expected = new java.util.HashSet<>(
                Set.of("ban", "events", "events_default", "kick", "redact", "state_default", "users", "users_default"));
        if (FROM_11.contains(version.id())) {
            expected.add("invite");
        }
        assertThat(keys(redacted.get("content"))).containsExactlyInAnyOrderElementsOf(expected);
    }

    @ParameterizedTest
    @MethodSource("versions")
    void keepsJoinRuleAndAllowFromV8(RoomVersion version) {
        ObjectNode redacted = Redaction.redact(
                event(
                        "m.room.join_rules",
                        "{\"join_rule\":\"restricted\",\"allow\":[{\"type\":\"m.room_membership\"}],\"other\":1}"),
                version);

        Set<String> expected = FROM_8.contains(version.id()) ? Set.of("join_rule", "allow") : Set.of("join_rule");
        assertThat(keys(redacted.get("content"))).containsExactlyInAnyOrderElementsOf(expected);
    }

    @ParameterizedTest
    @MethodSource("versions")
    void keepsAliasesOnlyInV1ToV5(RoomVersion version) {
        ObjectNode redacted = Redaction.redact(event("m.room.aliases", "{\"aliases\":[\"#a:example.org\"]}"), version);

        assertThat(redacted.path("content").has("aliases")).isEqualTo(UP_TO_5.contains(version.id()));
    }

    @ParameterizedTest
    @MethodSource("versions")
    void keepsHistoryVisibilityEverywhere(RoomVersion version) {
        ObjectNode redacted = Redaction.redact(
                event("m.room.history_visibility", "{\"history_visibility\":\"shared\",\"x\":1}"), version);

        assertThat(keys(redacted.get("content"))).containsExactly("history_visibility");
        assertThat(ALL).contains(version.id());
    }

    @ParameterizedTest
    @MethodSource("versions")
    void keepsRedactsInRedactionContentFromV11AndNeverAtTopLevel(RoomVersion version) {
        ObjectNode redacted = Redaction.redact(
                event("m.room.redaction", "{\"redacts\":\"$x:example.org\",\"reason\":\"spam\"}"), version);

        Set<String> expected = FROM_11.contains(version.id()) ? Set.of("redacts") : Set.of();
        assertThat(keys(redacted.get("content"))).containsExactlyInAnyOrderElementsOf(expected);
        assertThat(redacted.has("redacts")).isFalse();
    }

    @Test
    void leavesTheInputUnchanged() {
        ObjectNode event = event("m.room.message", "{\"body\":\"hi\"}");
        ObjectNode before = event.deepCopy();

        Redaction.redact(event, RoomVersions.V10);

        assertThat(event).isEqualTo(before);
    }

    @Test
    void redactsAPduKeepingItsEventId() {
        ObjectNode json = event("m.room.message", "{\"body\":\"hi\"}");
        json.remove("state_key");
        Pdu pdu = Pdus.fromJson(json, RoomVersions.V1);

        Pdu redacted = Redaction.redact(pdu);

        assertThat(redacted.eventId()).isEqualTo(pdu.eventId());
        assertThat(redacted.content().isEmpty()).isTrue();
        assertThat(redacted.unsigned().isEmpty()).isTrue();
    }
}
