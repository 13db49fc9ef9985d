package dev.myelin.core.push;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.myelin.core.id.UserId;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The default rules on typical events, and user rules laid over them. */
class PushEvaluatorTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final UserId ALICE = UserId.parse("@alice:example.org");
    private static final String ROOM = "!room:example.org";
    private static final Ruleset DEFAULTS = DefaultRules.forUser(ALICE);

    static ObjectNode event(String json) {
        try {
            ObjectNode event = (ObjectNode) JSON.readTree(json);
            if (!event.has("room_id")) {
                event.put("room_id", ROOM);
            }
            if (!event.has("sender")) {
                event.put("sender", "@bob:example.org");
            }
            return event;
        } catch (Exception e) {
            throw new IllegalArgumentException(e);
        }
    }

    static PushContext context(long members) {
        return new PushContext(ALICE, Optional.of("Alice"), members, 0, Map.of());
    }

    static ObjectNode text(String body) {
        return event("{\"type\":\"m.room.message\",\"content\":{\"msgtype\":\"m.text\",\"body\":\"" + body + "\"}}");
    }

    @Test
    void aDirectMessageNotifiesWithSound() {
        PushResult result = PushEvaluator.evaluate(text("hi"), context(2), DEFAULTS);
        assertThat(result.ruleId()).hasValue(".m.rule.room_one_to_one");
        assertThat(result.notifies()).isTrue();
        assertThat(result.sound()).hasValue("default");
        assertThat(result.highlights()).isFalse();
    }

    @Test
    void aGroupMessageNotifiesWithoutSound() {
        PushResult result = PushEvaluator.evaluate(text("hi all"), context(5), DEFAULTS);
        assertThat(result.ruleId()).hasValue(".m.rule.message");
        assertThat(result.notifies()).isTrue();
        assertThat(result.sound()).isEmpty();
        assertThat(result.highlights()).isFalse();
    }

    @Test
    void aUserMentionHighlights() {
        ObjectNode event = event("{\"type\":\"m.room.message\",\"content\":{\"msgtype\":\"m.text\",\"body\":\"hey\","
                + "\"m.mentions\":{\"user_ids\":[\"@alice:example.org\"]}}}");
        PushResult result = PushEvaluator.evaluate(event, context(5), DEFAULTS);
        assertThat(result.ruleId()).hasValue(".m.rule.is_user_mention");
        assertThat(result.notifies()).isTrue();
        assertThat(result.highlights()).isTrue();
        assertThat(result.sound()).hasValue("default");
    }

    @Test
    void aMentionOfSomeoneElseIsAnOrdinaryMessage() {
        ObjectNode event = event("{\"type\":\"m.room.message\",\"content\":{\"msgtype\":\"m.text\",\"body\":\"hey\","
                + "\"m.mentions\":{\"user_ids\":[\"@carol:example.org\"]}}}");
        assertThat(PushEvaluator.evaluate(event, context(5), DEFAULTS).ruleId()).hasValue(".m.rule.message");
    }

    @Test
    void aRoomMentionHighlightsOnlyFromSendersWithThePowerToUseIt() {
        ObjectNode event = event("{\"type\":\"m.room.message\",\"content\":{\"msgtype\":\"m.text\",\"body\":\"all\","
                + "\"m.mentions\":{\"room\":true}}}");
        PushContext moderator = new PushContext(ALICE, Optional.empty(), 5, 50, Map.of());
        assertThat(PushEvaluator.evaluate(event, moderator, DEFAULTS).highlights())
                .isTrue();
        PushContext member = new PushContext(ALICE, Optional.empty(), 5, 0, Map.of());
        assertThat(PushEvaluator.evaluate(event, member, DEFAULTS).ruleId()).hasValue(".m.rule.message");
        PushContext lowered = new PushContext(ALICE, Optional.empty(), 5, 0, Map.of("room", 0L));
        assertThat(PushEvaluator.evaluate(event, lowered, DEFAULTS).ruleId()).hasValue(".m.rule.is_room_mention");
    }

    @Test
    void noticesAreSuppressed() {
        ObjectNode event =
                event("{\"type\":\"m.room.message\",\"content\":{\"msgtype\":\"m.notice\",\"body\":\"bot\"}}");
        PushResult result = PushEvaluator.evaluate(event, context(2), DEFAULTS);
        assertThat(result.ruleId()).hasValue(".m.rule.suppress_notices");
        assertThat(result.notifies()).isFalse();
    }

    @Test
    void reactionsAndEditsDoNotNotify() {
        ObjectNode reaction = event("{\"type\":\"m.reaction\",\"content\":{\"m.relates_to\":{\"rel_type\":"
                + "\"m.annotation\",\"event_id\":\"$x\",\"key\":\"👍\"}}}");
        assertThat(PushEvaluator.evaluate(reaction, context(2), DEFAULTS).ruleId())
                .hasValue(".m.rule.reaction");
        assertThat(PushEvaluator.evaluate(reaction, context(2), DEFAULTS).notifies())
                .isFalse();
        ObjectNode edit = event("{\"type\":\"m.room.message\",\"content\":{\"msgtype\":\"m.text\",\"body\":\"* fixed\","
                + "\"m.relates_to\":{\"rel_type\":\"m.replace\",\"event_id\":\"$x\"}}}");
        assertThat(PushEvaluator.evaluate(edit, context(2), DEFAULTS).ruleId()).hasValue(".m.rule.suppress_edits");
        assertThat(PushEvaluator.evaluate(edit, context(2), DEFAULTS).notifies())
                .isFalse();
    }

    @Test
    void memberEventsDoNotNotifyButAnInviteForMeDoes() {
        ObjectNode join = event("{\"type\":\"m.room.member\",\"state_key\":\"@bob:example.org\","
                + "\"content\":{\"membership\":\"join\"}}");
        assertThat(PushEvaluator.evaluate(join, context(2), DEFAULTS).ruleId()).hasValue(".m.rule.member_event");
        assertThat(PushEvaluator.evaluate(join, context(2), DEFAULTS).notifies())
                .isFalse();
        ObjectNode invite = event("{\"type\":\"m.room.member\",\"state_key\":\"@alice:example.org\","
                + "\"content\":{\"membership\":\"invite\"}}");
        PushResult result = PushEvaluator.evaluate(invite, context(2), DEFAULTS);
        assertThat(result.ruleId()).hasValue(".m.rule.invite_for_me");
        assertThat(result.notifies()).isTrue();
        assertThat(result.sound()).hasValue("default");
    }

    @Test
    void tombstonesHighlightAndCallsRing() {
        ObjectNode tombstone =
                event("{\"type\":\"m.room.tombstone\",\"state_key\":\"\",\"content\":{\"body\":\"moved\"}}");
        assertThat(PushEvaluator.evaluate(tombstone, context(5), DEFAULTS).highlights())
                .isTrue();
        ObjectNode notState = event("{\"type\":\"m.room.tombstone\",\"content\":{}}");
        assertThat(PushEvaluator.evaluate(notState, context(5), DEFAULTS).notifies())
                .isFalse();
        ObjectNode call = event("{\"type\":\"m.call.invite\",\"content\":{}}");
        assertThat(PushEvaluator.evaluate(call, context(5), DEFAULTS).sound()).hasValue("ring");
    }

    @Test
    void encryptedEventsNotifyWithSoundOnlyInOneToOneRooms() {
        ObjectNode encrypted = event("{\"type\":\"m.room.encrypted\",\"content\":{\"ciphertext\":\"x\"}}");
        assertThat(PushEvaluator.evaluate(encrypted, context(2), DEFAULTS).ruleId())
                .hasValue(".m.rule.encrypted_room_one_to_one");
        assertThat(PushEvaluator.evaluate(encrypted, context(3), DEFAULTS).ruleId())
                .hasValue(".m.rule.encrypted");
    }

    @Test
    void otherEventsMatchNoRule() {
        ObjectNode topic = event("{\"type\":\"m.room.topic\",\"state_key\":\"\",\"content\":{\"topic\":\"t\"}}");
        assertThat(PushEvaluator.evaluate(topic, context(5), DEFAULTS)).isEqualTo(PushResult.NO_MATCH);
    }

    @Test
    void theMasterRuleOutranksUserOverrides() {
        Ruleset mine = DefaultRules.merge(
                ALICE,
                Ruleset.EMPTY.with(
                        PushRuleKind.OVERRIDE,
                        List.of(
                                new PushRule(
                                        "everything",
                                        false,
                                        true,
                                        List.of(),
                                        List.of(PushAction.NOTIFY),
                                        Optional.empty()),
                                DefaultRules.forUser(ALICE)
                                        .override()
                                        .getFirst()
                                        .withEnabled(true))));
        assertThat(mine.override().getFirst().ruleId()).isEqualTo(DefaultRules.MASTER);
        PushResult result = PushEvaluator.evaluate(text("hi"), context(2), mine);
        assertThat(result.ruleId()).hasValue(DefaultRules.MASTER);
        assertThat(result.notifies()).isFalse();
    }

    @Test
    void userRulesOfEachKindOutrankTheDefaultUnderrides() {
        PushRule muteRoom = new PushRule(ROOM, false, true, List.of(), List.of(), Optional.empty());
        Ruleset rules = DefaultRules.merge(ALICE, Ruleset.EMPTY.with(PushRuleKind.ROOM, List.of(muteRoom)));
        assertThat(PushEvaluator.evaluate(text("hi"), context(2), rules).ruleId())
                .hasValue(ROOM);
        assertThat(PushEvaluator.evaluate(text("hi"), context(2), rules).notifies())
                .isFalse();

        PushRule loudSender = new PushRule(
                "@bob:example.org",
                false,
                true,
                List.of(),
                List.of(PushAction.NOTIFY, PushAction.highlight()),
                Optional.empty());
        rules = DefaultRules.merge(ALICE, Ruleset.EMPTY.with(PushRuleKind.SENDER, List.of(loudSender)));
        assertThat(PushEvaluator.evaluate(text("hi"), context(9), rules).highlights())
                .isTrue();

        PushRule cake = new PushRule(
                "cake",
                false,
                true,
                List.of(),
                List.of(PushAction.NOTIFY, PushAction.sound("cakealarm.wav")),
                Optional.of("cake"));
        rules = DefaultRules.merge(ALICE, Ruleset.EMPTY.with(PushRuleKind.CONTENT, List.of(cake)));
        assertThat(PushEvaluator.evaluate(text("I like Cake!"), context(9), rules)
                        .sound())
                .hasValue("cakealarm.wav");
        assertThat(PushEvaluator.evaluate(text("cupcakes"), context(9), rules).ruleId())
                .hasValue(".m.rule.message");
        // content rules are tried before room rules, so the matching content rule wins over the muted room
        rules = DefaultRules.merge(
                ALICE,
                Ruleset.EMPTY.with(PushRuleKind.CONTENT, List.of(cake)).with(PushRuleKind.ROOM, List.of(muteRoom)));
        assertThat(PushEvaluator.evaluate(text("cake"), context(9), rules).ruleId())
                .hasValue("cake");
    }

    @Test
    void disabledRulesNeverMatch() {
        Ruleset stored = Ruleset.EMPTY.with(
                PushRuleKind.UNDERRIDE,
                List.of(DefaultRules.forUser(ALICE).underride().stream()
                        .filter(r -> r.ruleId().equals(".m.rule.message"))
                        .findFirst()
                        .orElseThrow()
                        .withEnabled(false)));
        Ruleset rules = DefaultRules.merge(ALICE, stored);
        assertThat(PushEvaluator.evaluate(text("hi"), context(5), rules)).isEqualTo(PushResult.NO_MATCH);
        assertThat(PushEvaluator.evaluate(text("hi"), context(2), rules).ruleId())
                .hasValue(".m.rule.room_one_to_one");
    }

    @Test
    void historicalActionsAreKeptAsWrittenButMeanNothing() {
        JsonNode json = event("{\"rule_id\":\"x\",\"actions\":[\"dont_notify\",\"coalesce\"]}");
        PushRule stored = PushRule.fromJson(json).orElseThrow();
        assertThat(stored.actions()).allMatch(PushAction.Unknown.class::isInstance);
        assertThat(stored.toJson(PushRuleKind.OVERRIDE).get("actions").toString())
                .isEqualTo("[\"dont_notify\",\"coalesce\"]");
        PushRule fromClient = PushRule.fromClient(PushRuleKind.OVERRIDE, "x", event("{\"actions\":[\"dont_notify\"]}"));
        assertThat(fromClient.toJson(PushRuleKind.OVERRIDE).get("actions").toString())
                .isEqualTo("[\"dont_notify\"]");
        assertThat(fromClient.enabled()).isTrue();
        PushResult result = new PushResult(Optional.of(PushRuleKind.OVERRIDE), Optional.of("x"), fromClient.actions());
        assertThat(result.notifies()).isFalse();
        assertThat(result.highlights()).isFalse();
    }
}
