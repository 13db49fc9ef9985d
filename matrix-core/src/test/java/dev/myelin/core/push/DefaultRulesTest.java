package dev.myelin.core.push;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.myelin.core.id.UserId;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class DefaultRulesTest {
    private static final UserId ALICE = UserId.parse("@alice:example.org");

    @Test
    void listsTheSpecsPredefinedRulesInOrder() {
        Ruleset defaults = DefaultRules.forUser(ALICE);
        assertThat(defaults.override())
                .extracting(PushRule::ruleId)
                .containsExactly(
                        ".m.rule.master",
                        ".m.rule.suppress_notices",
                        ".m.rule.invite_for_me",
                        ".m.rule.member_event",
                        ".m.rule.is_user_mention",
                        ".m.rule.is_room_mention",
                        ".m.rule.tombstone",
                        ".m.rule.reaction",
                        ".m.rule.room.server_acl",
                        ".m.rule.suppress_edits");
        assertThat(defaults.underride())
                .extracting(PushRule::ruleId)
                .containsExactly(
                        ".m.rule.call",
                        ".m.rule.encrypted_room_one_to_one",
                        ".m.rule.room_one_to_one",
                        ".m.rule.message",
                        ".m.rule.encrypted");
        assertThat(defaults.content()).isEmpty();
        assertThat(defaults.override().getFirst().enabled()).isFalse();
        assertThat(defaults.override().stream().skip(1))
                .allMatch(PushRule::enabled)
                .allMatch(PushRule::isDefault);
    }

    @Test
    void serialisesTheSpecDefinitionsVerbatim() throws Exception {
        JsonNode json = DefaultRules.forUser(ALICE).toJson();
        ObjectMapper mapper = new ObjectMapper();
        assertThat(json.get("override").get(4)).isEqualTo(mapper.readTree("""
                {"rule_id": ".m.rule.is_user_mention", "default": true, "enabled": true,
                 "conditions": [{"kind": "event_property_contains", "key": "content.m\\\\.mentions.user_ids",
                                 "value": "@alice:example.org"}],
                 "actions": ["notify", {"set_tweak": "sound", "value": "default"}, {"set_tweak": "highlight"}]}
                """));
        assertThat(json.get("underride").get(1)).isEqualTo(mapper.readTree("""
                {"rule_id": ".m.rule.encrypted_room_one_to_one", "default": true, "enabled": true,
                 "conditions": [{"kind": "room_member_count", "is": "2"},
                                {"kind": "event_match", "key": "type", "pattern": "m.room.encrypted"}],
                 "actions": ["notify", {"set_tweak": "sound", "value": "default"}]}
                """));
        assertThat(json.fieldNames())
                .toIterable()
                .containsExactly("override", "content", "room", "sender", "underride");
    }

    @Test
    void mergeKeepsUserRulesAboveDefaultsAndSurvivesARoundTrip() {
        PushRule mine = new PushRule("mine", false, true, List.of(), List.of(PushAction.NOTIFY), Optional.empty());
        PushRule master = DefaultRules.forUser(ALICE).override().getFirst().withEnabled(true);
        PushRule removedDefault =
                new PushRule(".m.rule.contains_display_name", true, true, List.of(), List.of(), Optional.empty());
        Ruleset stored = Ruleset.EMPTY.with(PushRuleKind.OVERRIDE, List.of(mine, master, removedDefault));
        Ruleset merged = DefaultRules.merge(ALICE, stored);
        assertThat(merged.override())
                .extracting(PushRule::ruleId)
                .startsWith(".m.rule.master", "mine", ".m.rule.suppress_notices")
                .doesNotContain(".m.rule.contains_display_name");
        assertThat(merged.override().getFirst().enabled()).isTrue();
        assertThat(DefaultRules.merge(ALICE, Ruleset.fromJson(merged.toJson()))).isEqualTo(merged);
    }
}
